/**
 * Several records of one step appended to a run's chain together, in order,
 * each once by its key (as `appendOnce`): a run's start writes the event it
 * received, then the run. Kept apart from `AuditWriter` so only the function
 * that starts runs carries it (every other function's bundle appends one
 * record at a time).
 *
 * A run this call lists in the index gets no marker item for it when a later
 * record of the call moves the head: that head carries the listing, which is
 * all the marker tells another process (one write, and its archive object,
 * less). A crash before that head move leaves neither: the next append finds
 * the run listed by reading its index chain, and writes the marker then.
 */
import { auditPk, indexedMarker, type AuditWriter } from './audit-log';
import type { AuditData, AuditKind, AuditRecord } from './record';

/** One record: its once key, kind and data. */
export type OnceEntry = { [K in AuditKind]: { once: string; kind: K; data: AuditData<K> } }[AuditKind];

export interface AppendEachOptions {
  at?: Date;
  /**
   * The records are most likely the chain's first (a run's start): the chain is created without reading its head
   * first, on condition that it has none (a retry that finds it there pays one refused write, then reads as any append).
   */
  newChain?: boolean;
}

/**
 * Appends `entries` to the run's chain in order, each once; returns the records (those found from an earlier attempt too).
 *
 * @example await appendOnceEach(audit, runId, [{ once: 'run.started', kind: 'run.started', data: { workflowId } }], { newChain: true })
 */
export async function appendOnceEach(
  audit: AuditWriter,
  runId: string,
  entries: readonly OnceEntry[],
  options: AppendEachOptions = {},
): Promise<AuditRecord[]> {
  const at = options.at ?? audit.clock();
  const records: AuditRecord[] = [];
  /** Listed by this call, and no head move since carries it yet. */
  let unmarked = false;
  for (const [i, entry] of entries.entries()) {
    const { record, indexed, created } = await audit.appendTo(auditPk(runId), runId, entry.kind, entry.data, at, entry.once, {
      fresh: i === 0 && options.newChain === true,
    });
    records.push(record);
    // The head this record left, or found there, says the run is listed: readers need no marker.
    if (indexed) {
      unmarked = false;
      continue;
    }
    const last = i === entries.length - 1;
    await audit.index(runId, created, !(created && !last));
    unmarked = created && !last;
  }
  if (unmarked) await audit.table.put({ ...indexedMarker(runId), runId });
  return records;
}
