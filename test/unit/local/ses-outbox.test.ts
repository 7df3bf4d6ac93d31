/**
 * The local SES outbox makes its folder when a write finds it missing (the
 * first message, or a folder cleared while the runtime runs), and a clash of
 * file names is still an error.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { outboxDir, recordDelivery, writeToOutbox, type OutboxEntry } from '../../../local/ses/outbox';

const entry = (messageId: string): OutboxEntry => ({
  messageId,
  at: new Date('2026-12-07T06:00:00.000Z'),
  message: { mime: Buffer.from('Subject: hello\r\n\r\nbody\r\n'), envelope: { from: 'aios@localhost', to: ['maya@kestrel.coffee'] }, subject: 'hello' },
  tags: [],
});

describe('the SES outbox', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'aios-outbox-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('makes its folder on the first message and again after it was cleared', async () => {
    const first = await writeToOutbox(dataDir, entry('m1'));
    expect(readFileSync(first, 'latin1')).toContain('X-Aios-Ses-Message-Id: m1\r\n');
    rmSync(outboxDir(dataDir), { recursive: true });
    await recordDelivery(dataDir, { messageId: 'm1', file: first, at: 'now', status: 'delivered', smtp: 'none' });
    const second = await writeToOutbox(dataDir, entry('m2'));
    expect(readdirSync(outboxDir(dataDir)).sort()).toEqual(['deliveries.jsonl', path.basename(second)].sort());
    await recordDelivery(dataDir, { messageId: 'm2', file: second, at: 'now', status: 'delivered', smtp: 'none' });
    expect(
      readFileSync(path.join(outboxDir(dataDir), 'deliveries.jsonl'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(2);
  });

  it('never overwrites a message', async () => {
    await writeToOutbox(dataDir, entry('m1'));
    await expect(writeToOutbox(dataDir, entry('m1'))).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('writes a large message whole, making the folder, and never overwrites it either', async () => {
    const body = Buffer.alloc(600 * 1024, 'a');
    const large = { ...entry('big'), message: { ...entry('big').message, mime: Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), body]) } };
    const file = await writeToOutbox(dataDir, large);
    expect(readFileSync(file).subarray(-body.length).equals(body)).toBe(true);
    await expect(writeToOutbox(dataDir, large)).rejects.toMatchObject({ code: 'EEXIST' });
  });
});
