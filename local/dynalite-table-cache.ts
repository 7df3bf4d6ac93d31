/**
 * dynalite reads a table's description (key schema, indexes, status) from
 * LevelDB at the start of every item request: a native read through the
 * thread pool and a JSON decode, a third of dynalite's cost on a GetItem.
 * Descriptions change only through CreateTable, UpdateTable and DeleteTable,
 * which write them through the same sub-database, so a copy kept beside it
 * stays exact when every write drops the copy and a read that overlapped a
 * write is not kept.
 */

import { adaptDynaliteStores, type DynaliteStoreAdapter } from './dynalite-store-hook';

type Callback = (error: Error | null | undefined, value?: unknown) => void;

/** The part of dynalite's `tableDb` (its `table~` sub-database) that reads and writes descriptions. */
export interface TableDescriptionDb {
  get(key: string, callback: Callback): void;
  put(key: string, value: unknown, callback?: Callback): void;
  del(key: string, callback?: Callback): void;
}

/** A deep copy of JSON data (objects, arrays, strings, numbers, booleans, null): what a decode of its JSON gives, for about a third of the CPU. */
export function copyOfJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyOfJson) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = copyOfJson((value as Record<string, unknown>)[key]);
    // An own member named __proto__, as a decode makes it, not a prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: member, enumerable: true, writable: true, configurable: true });
    else copy[key] = member;
  }
  return copy as T;
}

/**
 * Wraps `tableDb` in place. Each read is answered with a fresh copy of the
 * kept description (dynalite mutates descriptions it reads before writing them
 * back); the kept one is a decode of its JSON that no caller ever holds.
 * `isOpen` false sends reads to LevelDB, so a closed database still refuses them.
 */
export function cacheTableDescriptions(tableDb: TableDescriptionDb, isOpen: () => boolean = () => true): void {
  const kept = new Map<string, unknown>();
  // Per table: writes in flight, and a count of writes begun or ended (a read keeps its answer only if neither moved).
  const writing = new Map<string, number>();
  const changes = new Map<string, number>();
  const changed = (key: string) => changes.set(key, (changes.get(key) ?? 0) + 1);
  const read = tableDb.get.bind(tableDb);
  const put = tableDb.put.bind(tableDb);
  const del = tableDb.del.bind(tableDb);

  const write = (key: string, run: (done: Callback) => void, callback?: Callback) => {
    kept.delete(key);
    changed(key);
    writing.set(key, (writing.get(key) ?? 0) + 1);
    run((error) => {
      const left = writing.get(key)! - 1;
      if (left === 0) writing.delete(key);
      else writing.set(key, left);
      changed(key);
      callback?.(error);
    });
  };

  tableDb.get = (key, callback) => {
    const description = kept.get(key);
    // Answered on a later tick, as LevelDB answers: dynalite's callers expect it.
    if (description !== undefined && isOpen()) return void process.nextTick(callback, null, copyOfJson(description));
    const before = changes.get(key) ?? 0;
    read(key, (error, value) => {
      // Kept as a decode of the value's JSON, before the caller can change the value.
      if (!error && value && typeof value === 'object' && !writing.has(key) && (changes.get(key) ?? 0) === before)
        kept.set(key, JSON.parse(JSON.stringify(value)) as unknown);
      callback(error, value);
    });
  };
  tableDb.put = (key, value, callback) => write(key, (done) => put(key, value, done), callback);
  tableDb.del = (key, callback) => write(key, (done) => del(key, done), callback);
}

const cacheStoreTableDescriptions: DynaliteStoreAdapter<{ tableDb: TableDescriptionDb }> = (store, isOpen) => cacheTableDescriptions(store.tableDb, isOpen);

/** Every dynalite store this process opens from now on keeps its table descriptions beside LevelDB. Idempotent. */
export function installTableDescriptionCache(): void {
  adaptDynaliteStores(cacheStoreTableDescriptions);
}
