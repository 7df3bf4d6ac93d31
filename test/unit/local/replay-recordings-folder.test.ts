/**
 * The replay provider keeps what it read of its recordings folder and reads
 * it again only when a file changed: an added, edited, replaced, removed or
 * broken recording is seen on the next call, as when every call read it all.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConverseRequest } from '../../../shared/agents/converse-shapes';
import { createReplayProvider } from '../../../local/bedrock/providers/replay-provider';
import { folderRecordings } from '../../../local/bedrock/recordings';

const ask = (text: string): ConverseRequest => ({
  modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  messages: [{ role: 'user', content: [{ text }] }],
  requestMetadata: { aiosAgent: 'triage' },
});

const recording = (contains: string, answer: string) =>
  JSON.stringify({
    match: { agent: 'triage', firstMessageContains: [contains] },
    turns: [{ response: { stopReason: 'end_turn', output: { message: { role: 'assistant', content: [{ text: answer }] } } } }],
  });

async function answerTo(provider: ReturnType<typeof createReplayProvider>, text: string): Promise<string> {
  const out = await provider.converse(ask(text));
  return (out.output.message.content[0] as { text: string }).text;
}

describe('the replay provider’s recordings folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aios-recordings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers from a file added, edited in place, replaced or removed since the last call', async () => {
    const provider = createReplayProvider({ dir });
    await expect(provider.converse(ask('order KC-1'))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    writeFileSync(path.join(dir, 'a.json'), recording('KC-1', 'first'));
    expect(await answerTo(provider, 'order KC-1')).toBe('first');

    // The same size, written in place: only the time and content differ.
    writeFileSync(path.join(dir, 'a.json'), recording('KC-1', 'other'));
    expect(await answerTo(provider, 'order KC-1')).toBe('other');

    // Replaced by a rename, as the recorder writes.
    writeFileSync(path.join(dir, 'a.tmp'), recording('KC-1', 'renamed'));
    renameSync(path.join(dir, 'a.tmp'), path.join(dir, 'a.json'));
    expect(await answerTo(provider, 'order KC-1')).toBe('renamed');

    writeFileSync(path.join(dir, 'b.json'), recording('KC-2', 'second'));
    expect(await answerTo(provider, 'order KC-2')).toBe('second');

    rmSync(path.join(dir, 'a.json'));
    await expect(provider.converse(ask('order KC-1'))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await answerTo(provider, 'order KC-2')).toBe('second');
  });

  it('names a broken file on every call until it is mended', async () => {
    const provider = createReplayProvider({ dir });
    writeFileSync(path.join(dir, 'a.json'), '{ not json');
    for (let i = 0; i < 2; i++) await expect(provider.converse(ask('order KC-1'))).rejects.toThrow(/a\.json is not valid JSON/);
    writeFileSync(path.join(dir, 'a.json'), recording('KC-1', 'mended'));
    expect(await answerTo(provider, 'order KC-1')).toBe('mended');
  });

  it('reads the files once while none changes', () => {
    writeFileSync(path.join(dir, 'a.json'), recording('KC-1', 'first'));
    const current = folderRecordings(dir);
    const first = current();
    expect(first).toHaveLength(1);
    expect(current()).toBe(first);
    writeFileSync(path.join(dir, 'b.json'), recording('KC-2', 'second'));
    expect(current()).not.toBe(first);
    expect(current()).toHaveLength(2);
  });

  it('gives no recordings for a folder that does not exist, and sees it once it does', () => {
    const missing = path.join(dir, 'later');
    const current = folderRecordings(missing);
    expect(current()).toEqual([]);
    mkdirSync(missing);
    writeFileSync(path.join(missing, 'a.json'), recording('KC-1', 'first'));
    expect(current()).toHaveLength(1);
  });
});
