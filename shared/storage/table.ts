/**
 * The storage port every AIOS store is built on: one DynamoDB-shaped table of
 * items keyed by a partition key `pk` and a sort key `sk`.
 *
 * Stores (knowledge, conversations, approvals, audit, counters, webhook
 * dedupe) hold their logic above this port; `DynamoDbTable` is the only code
 * that imports the DynamoDB SDK, and `MemoryTable` serves unit tests. Both
 * pass one contract suite (test/contract/table.contract.ts).
 *
 * There are no transactions (dynalite has none): design around conditional
 * writes.
 */
import { AiosError } from '../errors';

export interface TableKey {
  pk: string;
  sk: string;
}

export type Item = TableKey & Record<string, unknown>;

export type FieldOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'absent' | 'present';

export interface FieldCondition {
  /** A top-level attribute name. */
  field: string;
  op: FieldOp;
  value?: unknown;
}

/**
 * A write's precondition: every part given must hold.
 * `itemExists: false` = no item with this key; `all` = every field condition;
 * `any` = at least one field condition.
 */
export interface Condition {
  itemExists?: boolean;
  all?: FieldCondition[];
  any?: FieldCondition[];
}

export interface UpdateChanges {
  set?: Record<string, unknown>;
  /** Numeric increments; a missing attribute counts as 0. */
  add?: Record<string, number>;
  remove?: string[];
}

export interface QueryOptions {
  skPrefix?: string;
  /** Inclusive bounds on the sort key. */
  skFrom?: string;
  skTo?: string;
  limit?: number;
  /** Descending sort-key order. */
  reverse?: boolean;
  /** Exclusive: continue after this sort key (from a previous page's `last`). */
  startAfter?: string;
}

export interface QueryPage {
  items: Item[];
  /** Set when more items may follow; pass as `startAfter`. */
  last?: string;
}

export interface Table {
  readonly name: string;
  get(key: TableKey): Promise<Item | undefined>;
  /** @throws ConditionFailedError when `condition` does not hold. */
  put(item: Item, condition?: Condition): Promise<void>;
  /** Returns the item after the update. @throws ConditionFailedError */
  update(key: TableKey, changes: UpdateChanges, condition?: Condition): Promise<Item>;
  /** @throws ConditionFailedError */
  delete(key: TableKey, condition?: Condition): Promise<void>;
  query(pk: string, options?: QueryOptions): Promise<QueryPage>;
  /** Every item whose pk starts with `pkPrefix` (all items without it). For listings, not hot paths. */
  scan(options?: { pkPrefix?: string }): Promise<Item[]>;
}

export class ConditionFailedError extends AiosError {
  constructor(table: string, key: TableKey) {
    super('Storage.ConditionFailed', `condition failed on ${table} ${key.pk}/${key.sk}`, { table, key });
  }
}

/** Reads every page of a query. */
export async function queryAll(table: Table, pk: string, options: Omit<QueryOptions, 'startAfter'> = {}): Promise<Item[]> {
  const items: Item[] = [];
  let startAfter: string | undefined;
  do {
    const page = await table.query(pk, { ...options, startAfter });
    items.push(...page.items);
    startAfter = page.last;
    if (options.limit !== undefined && items.length >= options.limit) return items.slice(0, options.limit);
  } while (startAfter !== undefined);
  return items;
}
