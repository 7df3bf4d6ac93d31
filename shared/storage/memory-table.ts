/** An in-memory `Table` for unit tests; same semantics as the DynamoDB adapter. */
import {
  ConditionFailedError,
  type Condition,
  type FieldCondition,
  type Item,
  type QueryOptions,
  type QueryPage,
  type Table,
  type TableKey,
  type UpdateChanges,
} from './table';

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function fieldHolds(item: Item | undefined, c: FieldCondition): boolean {
  const present = item !== undefined && item[c.field] !== undefined;
  const v = item?.[c.field];
  switch (c.op) {
    case 'absent':
      return !present;
    case 'present':
      return present;
    case 'eq':
      return present && JSON.stringify(v) === JSON.stringify(c.value);
    case 'ne':
      return !present || JSON.stringify(v) !== JSON.stringify(c.value);
    case 'lt':
      return present && compare(v, c.value) < 0;
    case 'le':
      return present && compare(v, c.value) <= 0;
    case 'gt':
      return present && compare(v, c.value) > 0;
    case 'ge':
      return present && compare(v, c.value) >= 0;
  }
}

export function conditionHolds(item: Item | undefined, condition: Condition | undefined): boolean {
  if (!condition) return true;
  if (condition.itemExists === true && !item) return false;
  if (condition.itemExists === false && item) return false;
  if (condition.all && !condition.all.every((c) => fieldHolds(item, c))) return false;
  if (condition.any && condition.any.length > 0 && !condition.any.some((c) => fieldHolds(item, c))) return false;
  return true;
}

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryTable implements Table {
  private readonly partitions = new Map<string, Map<string, Item>>();

  constructor(readonly name = 'memory') {}

  async get(key: TableKey): Promise<Item | undefined> {
    const item = this.partitions.get(key.pk)?.get(key.sk);
    return item ? clone(item) : undefined;
  }

  async put(item: Item, condition?: Condition): Promise<void> {
    const existing = this.partitions.get(item.pk)?.get(item.sk);
    if (!conditionHolds(existing, condition)) throw new ConditionFailedError(this.name, item);
    this.partition(item.pk).set(item.sk, clone(stripUndefined(item)));
  }

  async update(key: TableKey, changes: UpdateChanges, condition?: Condition): Promise<Item> {
    const existing = this.partitions.get(key.pk)?.get(key.sk);
    if (!conditionHolds(existing, condition)) throw new ConditionFailedError(this.name, key);
    const next: Item = existing ? clone(existing) : { pk: key.pk, sk: key.sk };
    for (const [k, v] of Object.entries(changes.set ?? {})) if (v !== undefined) next[k] = clone(v);
    for (const [k, by] of Object.entries(changes.add ?? {})) next[k] = ((next[k] as number | undefined) ?? 0) + by;
    for (const k of changes.remove ?? []) delete next[k];
    this.partition(key.pk).set(key.sk, next);
    return clone(next);
  }

  async delete(key: TableKey, condition?: Condition): Promise<void> {
    const existing = this.partitions.get(key.pk)?.get(key.sk);
    if (!conditionHolds(existing, condition)) throw new ConditionFailedError(this.name, key);
    this.partitions.get(key.pk)?.delete(key.sk);
  }

  async query(pk: string, options: QueryOptions = {}): Promise<QueryPage> {
    const all = [...(this.partitions.get(pk)?.values() ?? [])]
      .filter((i) => options.skPrefix === undefined || i.sk.startsWith(options.skPrefix))
      .filter((i) => options.skFrom === undefined || i.sk >= options.skFrom)
      .filter((i) => options.skTo === undefined || i.sk <= options.skTo)
      .sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
    if (options.reverse) all.reverse();
    let start = 0;
    if (options.startAfter !== undefined) {
      const s = options.startAfter;
      start = all.findIndex((i) => (options.reverse ? i.sk < s : i.sk > s));
      if (start < 0) start = all.length;
    }
    const limit = options.limit ?? Infinity;
    const items = all.slice(start, start + limit).map(clone);
    const more = start + items.length < all.length;
    return more && items.length > 0 ? { items, last: items[items.length - 1].sk } : { items };
  }

  async scan(options: { pkPrefix?: string } = {}): Promise<Item[]> {
    const out: Item[] = [];
    for (const [pk, partition] of this.partitions) {
      if (options.pkPrefix !== undefined && !pk.startsWith(options.pkPrefix)) continue;
      for (const item of partition.values()) out.push(clone(item));
    }
    return out;
  }

  private partition(pk: string): Map<string, Item> {
    let p = this.partitions.get(pk);
    if (!p) this.partitions.set(pk, (p = new Map()));
    return p;
  }
}

function stripUndefined(item: Item): Item {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) as Item;
}
