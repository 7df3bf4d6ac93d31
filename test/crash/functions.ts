/**
 * Functions for the crash test, loaded through AIOS_FUNCTIONS (the same path a
 * user's module takes). `handOut` records each task token in a file the test
 * reads, as an approval email would carry it.
 */
import { appendFileSync } from 'node:fs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function work(event: { v: number }): Promise<{ v: number }> {
  await sleep(Math.random() * 40);
  return { v: event.v * 2 };
}

export async function handOut(event: { token: string; exec: string }): Promise<{ ok: true }> {
  appendFileSync(process.env.CRASH_TOKENS_FILE!, `${JSON.stringify(event)}\n`);
  return { ok: true };
}
