/**
 * Refused webhook requests on the `Table` port (the `state` table), one
 * partition per UTC day so an operator can list a day's refusals:
 * pk `webhook-refusal#<yyyy-mm-dd>`, sk `<iso time>#<random>`.
 */
import { randomUUID } from 'node:crypto';
import type { Table } from '../storage/table';
import type { Refusal, RefusalLog } from './ports';

const RETAIN_SECONDS = 90 * 24 * 3600;

export function refusalPartition(day: Date): string {
  return `webhook-refusal#${day.toISOString().slice(0, 10)}`;
}

export class TableRefusalLog implements RefusalLog {
  constructor(private readonly table: Table) {}

  async record(refusal: Refusal): Promise<void> {
    await this.table.put({
      pk: refusalPartition(refusal.at),
      sk: `${refusal.at.toISOString()}#${randomUUID()}`,
      ...refusal,
      at: refusal.at.toISOString(),
      expiresAt: Math.floor(refusal.at.getTime() / 1000) + RETAIN_SECONDS,
    });
  }
}

/** Keeps refusals in memory (tests, the CLI). */
export class MemoryRefusalLog implements RefusalLog {
  readonly refusals: Refusal[] = [];
  async record(refusal: Refusal): Promise<void> {
    this.refusals.push(refusal);
  }
}
