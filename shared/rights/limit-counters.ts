/**
 * Rolling limits ("at most 500 USD of refunds per day") kept on the `Table`
 * port (the `state` table). One item per rule and scope holds the usage in
 * time buckets; the window rolls bucket by bucket, and a bucket that is
 * partly inside the window still counts in full, so a limit can bind a
 * little early but never late.
 *
 * Concurrency without transactions: an item carries a version; a
 * consumption reads, checks, and writes with the condition "version still
 * as read" (or "item absent"), retrying on conflict. Two gates racing for
 * the last unit of a limit therefore cannot both get it.
 */
import { ConditionFailedError, type Table } from '../storage/table';
import type { RuleLimit } from './rule-schema';

/** Period length and bucket size in seconds (about 60–100 buckets per window). "month" is 30 days. */
const PERIODS: Record<RuleLimit['per'], { seconds: number; bucket: number }> = {
  hour: { seconds: 3600, bucket: 60 },
  day: { seconds: 86_400, bucket: 900 },
  week: { seconds: 604_800, bucket: 7200 },
  month: { seconds: 2_592_000, bucket: 28_800 },
};

const MAX_ATTEMPTS = 10;
/** Sums are money: tolerate float noise (0.1 + 0.2) when comparing with the maximum. */
const EPSILON = 1e-9;

export interface LimitUsage {
  count: number;
  sum: number;
}

interface Bucket {
  count: number;
  sum: number;
}

interface CounterItem {
  version: number;
  buckets: Record<string, Bucket>;
}

export type LimitCheck = { within: true; usage: LimitUsage } | { within: false; usage: LimitUsage; why: string };

/** The counter key of a rule's limit for one call: per tool, per agent, or both. */
export function limitKey(ruleId: string, limit: RuleLimit, toolId: string, agentId: string | null): string {
  const agent = agentId ?? '-';
  const scope = limit.scope === 'tool' ? `tool=${toolId}` : limit.scope === 'agent' ? `agent=${agent}` : `tool=${toolId}&agent=${agent}`;
  return `limit#${ruleId}#${scope}`;
}

function liveBuckets(item: CounterItem | undefined, per: RuleLimit['per'], now: Date): Record<string, Bucket> {
  const { seconds, bucket } = PERIODS[per];
  const nowSec = Math.floor(now.getTime() / 1000);
  const out: Record<string, Bucket> = {};
  for (const [start, b] of Object.entries(item?.buckets ?? {})) {
    if (Number(start) + bucket > nowSec - seconds) out[start] = b;
  }
  return out;
}

function total(buckets: Record<string, Bucket>): LimitUsage {
  let count = 0;
  let sum = 0;
  for (const b of Object.values(buckets)) {
    count += b.count;
    sum += b.sum;
  }
  return { count, sum: Math.round(sum * 1e6) / 1e6 };
}

/** Whether one more call (adding `amount` to a sum limit) stays within the limit. */
export function withinLimit(limit: RuleLimit, usage: LimitUsage, amount: number): LimitCheck {
  if (limit.count !== undefined && usage.count + 1 > limit.count) {
    return { within: false, usage, why: `limit reached: ${usage.count} of ${limit.count} calls in the last ${limit.per}` };
  }
  if (limit.sum !== undefined && usage.sum + amount > limit.sum.max + EPSILON) {
    return { within: false, usage, why: `limit reached: ${usage.sum} + ${amount} ${limit.sum.field} would exceed ${limit.sum.max} in the last ${limit.per}` };
  }
  return { within: true, usage };
}

/** The item that holds a counter's window. */
export const windowKey = (key: string) => ({ pk: key, sk: 'window' });

/** Rolling-limit counters on a table (`state` in production, `MemoryTable` in tests). */
export class LimitCounters {
  /** Windows read ahead with other items (one request), each served once, to the first read of its key. */
  private readonly readAhead = new Map<string, CounterItem | undefined>();

  constructor(private readonly table: Table) {}

  /**
   * Takes windows read already (by counter key; undefined: none yet) for the next read of each key. A consumption's
   * conditional write still refuses a window changed since: it then reads again, as after any conflict.
   */
  readAlready(windows: ReadonlyMap<string, Record<string, unknown> | undefined>): void {
    for (const [key, item] of windows) this.readAhead.set(key, item as CounterItem | undefined);
  }

  private async window(key: string): Promise<CounterItem | undefined> {
    if (this.readAhead.has(key)) {
      const item = this.readAhead.get(key);
      this.readAhead.delete(key);
      return item;
    }
    return (await this.table.get(windowKey(key))) as CounterItem | undefined;
  }

  /** Usage within the window ending `now`. */
  async usage(key: string, per: RuleLimit['per'], now: Date): Promise<LimitUsage> {
    return total(liveBuckets(await this.window(key), per, now));
  }

  /** Checks without consuming (for `aios rights explain` and for non-allow outcomes). */
  async check(key: string, limit: RuleLimit, amount: number, now: Date): Promise<LimitCheck> {
    return withinLimit(limit, await this.usage(key, limit.per, now), amount);
  }

  /**
   * Consumes one call (and `amount` of a sum limit) if that stays within the
   * limit. Returns the check; `within: false` means nothing was consumed.
   */
  async consume(key: string, limit: RuleLimit, amount: number, now: Date): Promise<LimitCheck> {
    const { bucket } = PERIODS[limit.per];
    const start = String(Math.floor(now.getTime() / 1000 / bucket) * bucket);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const item = await this.window(key);
      const buckets = liveBuckets(item, limit.per, now);
      const check = withinLimit(limit, total(buckets), amount);
      if (!check.within) return check;
      const current = buckets[start] ?? { count: 0, sum: 0 };
      buckets[start] = { count: current.count + 1, sum: current.sum + amount };
      const version = (item?.version ?? 0) + 1;
      try {
        await this.table.put(
          { pk: key, sk: 'window', version, buckets, updatedAt: now.toISOString() },
          item ? { all: [{ field: 'version', op: 'eq', value: item.version }] } : { itemExists: false },
        );
        return check;
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
      }
    }
    // Persistent contention: refuse rather than risk exceeding the limit.
    return { within: false, usage: await this.usage(key, limit.per, now), why: 'limit counter busy (too many concurrent calls); try again' };
  }
}
