/**
 * The local SES outbox: every accepted message as an `.eml` file under
 * `<dataDir>/outbox/`, named `<UTC time>-<message id>.eml` so that a plain
 * directory listing is in sending order, and a `deliveries.jsonl` log of what
 * SMTP delivery did with each message.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ComposedMessage } from './compose-message';

/** `<dataDir>/outbox` */
export function outboxDir(dataDir: string): string {
  return path.join(dataDir, 'outbox');
}

let lastMs = 0;
let sequence = 0;

/**
 * A message id in SES's shape (hex, uuid, `-000000`) whose first part is the
 * time plus a per-process sequence, so ids (and file names) sort in sending
 * order even within one millisecond.
 */
export function newMessageId(now: Date = new Date()): string {
  const ms = now.getTime();
  sequence = ms === lastMs ? sequence + 1 : 0;
  lastMs = ms;
  return `${ms.toString(16).padStart(12, '0')}${sequence.toString(16).padStart(4, '0')}-${randomUUID()}-000000`;
}

/** `20250301T091502123Z-<id>.eml` */
export function outboxFileName(messageId: string, at: Date): string {
  return `${at.toISOString().replace(/[-:.]/g, '')}-${messageId}.eml`;
}

export interface OutboxEntry {
  messageId: string;
  at: Date;
  message: ComposedMessage;
  tags: { name: string; value: string }[];
  configurationSet?: string;
}

/**
 * Messages up to this size are written at once, not through fs/promises: a message of a few KiB takes tens of
 * microseconds, where the promise API's open, write and close each went through libuv's thread pool, on the path
 * from an event to its approval email (three times the CPU, and a wait for each). A larger one (attachments) goes
 * through the pool, so that it does not hold up everything else the runtime serves.
 */
const WRITTEN_AT_ONCE_BYTES = 256 * 1024;

/**
 * Writes the message with trace headers in front (SMTP envelope, Bcc
 * recipients included, SES message id, tags) and returns the file path.
 * The trace headers stay in the outbox; SMTP delivery sends the message alone.
 */
export async function writeToOutbox(dataDir: string, entry: OutboxEntry): Promise<string> {
  const dir = outboxDir(dataDir);
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');
  const trace = [
    `X-Aios-Ses-Message-Id: ${entry.messageId}`,
    `X-Aios-Envelope-From: <${oneLine(entry.message.envelope.from)}>`,
    `X-Aios-Envelope-To: ${entry.message.envelope.to.map((t) => `<${oneLine(t)}>`).join(', ')}`,
    ...(entry.tags.length ? [`X-Aios-Email-Tags: ${entry.tags.map((t) => `${oneLine(t.name)}=${oneLine(t.value)}`).join('; ')}`] : []),
    ...(entry.configurationSet ? [`X-Aios-Configuration-Set: ${oneLine(entry.configurationSet)}`] : []),
  ];
  const file = path.join(dir, outboxFileName(entry.messageId, entry.at));
  // `wx`: never overwrite; ids are unique, so a clash is a bug worth seeing.
  const bytes = Buffer.concat([Buffer.from(`${trace.join('\r\n')}\r\n`, 'latin1'), entry.message.mime]);
  if (bytes.length > WRITTEN_AT_ONCE_BYTES) {
    await inOutbox(dir, () => writeFile(file, bytes, { flag: 'wx' }));
    return file;
  }
  try {
    writeFileSync(file, bytes, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, bytes, { flag: 'wx' });
  }
  return file;
}

/**
 * Runs a write into the outbox, making the folder first only when the write finds it missing (the first message,
 * or someone cleared it while the runtime ran) rather than before every message (a small message does the same at once).
 */
async function inOutbox(dir: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true });
    await write();
  }
}

export interface DeliveryRecord {
  messageId: string;
  file: string;
  at: string;
  status: 'delivered' | 'failed';
  smtp: string;
  accepted?: string[];
  rejected?: string[];
  response?: string;
  error?: string;
}

/** Appends one line to `<dataDir>/outbox/deliveries.jsonl`. */
export async function recordDelivery(dataDir: string, record: DeliveryRecord): Promise<void> {
  const line = `${JSON.stringify(record)}\n`;
  await inOutbox(outboxDir(dataDir), () => appendFile(path.join(outboxDir(dataDir), 'deliveries.jsonl'), line));
}
