/** `aios knowledge sync|search` against dynalite, through the client factory and the environment. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { register } from '../../../cli/commands/knowledge';
import { localEndpoint, localTargetVariables } from '../../../cli/local-endpoint';
import { startDynalite, type DynaliteHandle } from '../../support/dynalite';

const root = path.join(__dirname, '..', '..', '..');
const saved = { ...process.env };
let dynalite: DynaliteHandle;

async function run(...args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out.push(String(s));
    return true;
  });
  try {
    const program = new Command('aios').exitOverride();
    register(program);
    await program.parseAsync(['node', 'aios', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

beforeAll(async () => {
  dynalite = await startDynalite();
  await dynalite.table('aios-knowledge-cli');
});
afterAll(async () => {
  process.env = saved;
  await dynalite.close();
});
beforeEach(() => {
  process.env = { ...saved, AWS_ENDPOINT_URL: dynalite.endpoint, AIOS_TABLE_KNOWLEDGE: 'aios-knowledge-cli', AIOS_EMBEDDINGS: 'off' };
});

test('sync loads the seed documents once; search prints ranked chunks with scores and sources', async () => {
  const first = await run('knowledge', 'sync', '--dir', path.join(root, 'examples', 'kestrel-coffee', 'knowledge'));
  expect(first).toContain('created   support/refund-policy');
  expect(first).toMatch(/8 created, 0 updated, 0 unchanged, 0 retired/);
  expect(await run('knowledge', 'sync', '--dir', path.join(root, 'examples', 'kestrel-coffee', 'knowledge'))).toMatch(
    /0 created, 0 updated, 8 unchanged, 0 retired/,
  );
  const out = await run('knowledge', 'search', 'my Pro 58 shows error E3', '--namespace', 'support', '--limit', '2');
  expect(out).toMatch(/^1\. score \d+\.\d{4} {2}support\/espresso-machine-warranty v1 #\d+/);
  expect(out).toContain('source: support/espresso-machine-warranty.md');
  expect(out).not.toContain('3. score');
  const json = JSON.parse(await run('knowledge', 'search', 'wholesale tasting kit', '--namespace', 'sales', '--json')) as { namespace: string }[];
  expect(json.length).toBeGreaterThan(0);
  expect(json.every((h) => h.namespace === 'sales')).toBe(true);
});

test('an unreachable endpoint is a Knowledge.Unavailable error naming the endpoint', async () => {
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  await expect(run('knowledge', 'search', 'refund')).rejects.toMatchObject({
    code: 'Knowledge.Unavailable',
    message: expect.stringContaining('http://127.0.0.1:9'),
  });
});

test('a missing table is a Knowledge.Unavailable error naming the table', async () => {
  process.env.AIOS_TABLE_KNOWLEDGE = 'no-such-table';
  await expect(run('knowledge', 'search', 'refund')).rejects.toMatchObject({
    code: 'Knowledge.Unavailable',
    message: expect.stringContaining('no-such-table'),
  });
});

test('localTargetVariables: local runtime by default, AWS_ENDPOINT_URL and AIOS_TARGET=aws win; the given variables are not changed', () => {
  const env: NodeJS.ProcessEnv = { AIOS_PORT: '5000' };
  expect(localTargetVariables(env).AWS_ENDPOINT_URL).toBe('http://127.0.0.1:5000');
  expect(env.AWS_ENDPOINT_URL).toBeUndefined();
  expect(localEndpoint({})).toBe('http://127.0.0.1:4566');
  expect(localTargetVariables({ AWS_ENDPOINT_URL: 'http://other:1' }).AWS_ENDPOINT_URL).toBe('http://other:1');
  expect(localTargetVariables({ AIOS_TARGET: 'aws' }).AWS_ENDPOINT_URL).toBeUndefined();
});

test('search prints a document carrying terminal escape sequences without them (issue 18, defect 12)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aios-knowledge-esc-'));
  mkdirSync(path.join(dir, 'support'));
  writeFileSync(
    path.join(dir, 'support', 'hostile.md'),
    '---\nnamespace: support\ntitle: "Refund\\u001b[2J\\u001b]0;pwned\\u0007 policy"\n---\n\n# Refunds\n\nAgents may refund \u001b[31mlate parcels\u001b[0m\u009b2J; ask \u202eteam\u202c.\n',
  );
  await run('knowledge', 'sync', '--dir', dir);
  for (const args of [
    ['--limit', '1'],
    ['--limit', '1', '--json'],
  ]) {
    const out = await run('knowledge', 'search', 'refund late parcels', '--namespace', 'support', ...args);
    expect(out).toContain('late parcels');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  }
});
