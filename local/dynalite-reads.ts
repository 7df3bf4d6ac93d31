/**
 * dynalite reads LevelDB (an item before a conditional write, the item of a
 * GetItem, an index entry) with the asynchronous `get`, which hands every read
 * to libuv's thread pool: a wake-up of a worker thread, an event back to the
 * main thread, a promise and a deferred callback, for a lookup that LevelDB
 * answers from memory in microseconds. LevelDB's binding also reads
 * synchronously (`getSync`, the same lookup, decoding and errors), and is
 * opened here to answer dynalite's reads that way; the answer still reaches
 * dynalite's callback on a later turn of the event loop, as before. Writes,
 * iterators and closing are left as they are.
 */

import { adaptDynaliteStores, type DynaliteStoreAdapter } from './dynalite-store-hook';

type Callback = (error: Error | null, value?: unknown) => void;

/** The part of dynalite's LevelDB handle (a `Level`, its `get` wrapped to take callbacks) that reads. */
export interface LevelReads {
  readonly status: string;
  get(key: string, callback?: Callback): unknown;
  getSync(key: string): unknown;
}

/**
 * Answers `db.get(key, callback)` with `getSync`. Anything else (no callback,
 * a database not open, or closed under dynalite: `isOpen` false) goes to the
 * wrapped `get`, which answers those cases in dynalite's own words.
 */
export function readSynchronously(db: LevelReads, isOpen: () => boolean = () => true): void {
  const read = db.get.bind(db);
  db.get = (key: string, callback?: Callback) => {
    if (typeof callback !== 'function' || db.status !== 'open' || !isOpen()) return read(key, callback);
    let value: unknown;
    try {
      value = db.getSync(key);
    } catch (error) {
      if ((error as { code?: string }).code === 'LEVEL_DATABASE_NOT_OPEN') return read(key, callback);
      setImmediate(callback, error as Error);
      return;
    }
    setImmediate(callback, null, value);
  };
}

/** Reads of a store opened on disk synchronously; a store in memory (no path) has no getSync to offer and is left alone. */
const readStoreSynchronously: DynaliteStoreAdapter<{ db: LevelReads }> = (store, isOpen) => {
  if (typeof store.db.getSync === 'function') readSynchronously(store.db, isOpen);
};

/** Every dynalite store this process opens from now on reads synchronously. Idempotent. */
export function installSynchronousReads(): void {
  adaptDynaliteStores(readStoreSynchronously);
}
