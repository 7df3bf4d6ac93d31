/**
 * One knowledge reader, writer or store per table and embeddings settings:
 * a warm Lambda (or the local runtime, whose functions share a process)
 * keeps its in-memory search index across invocations, which is what makes
 * a search after the first cost one change-log Query instead of a full read.
 */
import type { Table } from '../storage/table';

export function onePerTable<T>(instances: WeakMap<object, Map<string, T>>, table: Table, settings: string, make: (table: Table) => T): T {
  let bySettings = instances.get(table);
  if (!bySettings) instances.set(table, (bySettings = new Map()));
  let instance = bySettings.get(settings);
  if (!instance) bySettings.set(settings, (instance = make(table)));
  return instance;
}
