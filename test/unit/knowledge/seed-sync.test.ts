import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSeedDirectory } from '../../../shared/knowledge/seed-sync';

describe('readSeedDirectory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aios-seed-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const doc = (ns: string, title: string, extra = '') => `---\nnamespace: ${ns}\ntitle: ${title}\n${extra}---\nBody of ${title}.\n`;

  test('reads nested Markdown files (README.md excepted) in path order with ids from file names', async () => {
    await mkdir(path.join(dir, 'support'));
    await writeFile(path.join(dir, 'support', 'Refund-Policy.md'), doc('support', 'Refunds', 'tags: [refunds]\n'));
    await writeFile(path.join(dir, 'playbook.md'), doc('sales', 'Playbook', 'id: sales-playbook\n'));
    await writeFile(path.join(dir, 'README.md'), '# not a document');
    await writeFile(path.join(dir, 'notes.txt'), 'ignored');
    expect(await readSeedDirectory(dir)).toEqual([
      { namespace: 'sales', id: 'sales-playbook', title: 'Playbook', tags: [], body: 'Body of Playbook.', source: { kind: 'seed', path: 'playbook.md' } },
      {
        namespace: 'support',
        id: 'refund-policy',
        title: 'Refunds',
        tags: ['refunds'],
        body: 'Body of Refunds.',
        source: { kind: 'seed', path: 'support/Refund-Policy.md' },
      },
    ]);
  });

  test('rejects two files with the same namespace and id, naming both', async () => {
    await mkdir(path.join(dir, 'a'));
    await writeFile(path.join(dir, 'a', 'faq.md'), doc('support', 'FAQ'));
    await writeFile(path.join(dir, 'faq.md'), doc('support', 'FAQ again'));
    await expect(readSeedDirectory(dir)).rejects.toMatchObject({
      code: 'Knowledge.InvalidDocument',
      message: expect.stringMatching(/support\/faq is also defined by/),
    });
  });

  test('a missing directory is a clear error', async () => {
    await expect(readSeedDirectory(path.join(dir, 'nope'))).rejects.toMatchObject({
      code: 'Knowledge.InvalidDocument',
      message: expect.stringContaining('cannot read seed directory'),
    });
  });
});
