/**
 * What this process itself last appended to each chain: the head it moved
 * and the record item it wrote after, both acknowledged by the table. While
 * the head is still there (same sequence, same keyed hash) nobody else has
 * appended since, so the next append can move it without reading it first
 * (the query of the head and the newest record item: one request less), and
 * the previous record's item is there, this process wrote it. A head that
 * moved on fails the conditional move and the append reads and repairs as
 * any other writer would.
 *
 * Remembered only after both writes succeeded: a writer that dies between
 * them takes its memory with it, and one whose item write fails forgets the
 * chain, so the record left only in the head is written by the next append
 * (after reading the head), here or in any other process.
 *
 * On one machine every function runs in the runtime's process, so nearly
 * every append finds the head it remembers. Where a chain's writers are
 * separate processes (one Lambda per function on AWS), the head has usually
 * moved: a failed move costs a write, so the process stops trying while
 * fewer than half of its appends would have found their head (what it saves
 * per hit, one request, against what a miss costs, one).
 */

/** Once keys of a chain's records 1..upTo, all of them: what `appendOnce` checks before writing. */
export interface KnownOnceKeys {
  upTo: number;
  keys: Set<string>;
}

export interface RememberedHead {
  seq: number;
  hash: string;
  /** The run is listed in the index (carried in the head). */
  indexed: boolean;
  /** Every once key up to the head, when this process has read or written all of the chain's records. */
  once?: KnownOnceKeys;
}

/** Chains remembered (a run's chain is small; least recently appended forgotten first). */
const MOST_CHAINS = 10_000;
/** Weight of the latest outcome in the running hit rate. */
const RATE_WEIGHT = 1 / 4;
/** Below this share of appends finding their head, remembering costs more requests than it saves. */
const WORTH_IT = 1 / 2;

export class RememberedHeads {
  private readonly heads = new Map<string, RememberedHead>();
  private hitRate = 1;

  /** The head to append after without reading, while remembering has been paying off. */
  recall(chain: string): RememberedHead | undefined {
    return this.hitRate >= WORTH_IT ? this.heads.get(chain) : undefined;
  }

  /** What is remembered of a chain (also while not used), to compare with a head read. */
  peek(chain: string): RememberedHead | undefined {
    return this.heads.get(chain);
  }

  /** Counts whether the remembered head of a chain was (or would have been) the head. */
  observe(hit: boolean): void {
    this.hitRate += ((hit ? 1 : 0) - this.hitRate) * RATE_WEIGHT;
  }

  /** After this process moved the head and wrote the record's item, both acknowledged. */
  remember(chain: string, head: RememberedHead): void {
    this.heads.delete(chain);
    this.heads.set(chain, head);
    if (this.heads.size > MOST_CHAINS) this.heads.delete(this.heads.keys().next().value!);
  }

  /** Forgets the chain if what is remembered is still `head` (a concurrent append may have remembered a newer one). */
  forget(chain: string, head?: RememberedHead): void {
    if (head === undefined || this.heads.get(chain) === head) this.heads.delete(chain);
  }

  /** Notes that the run of a remembered chain is in the index now. */
  markIndexed(chain: string): void {
    const head = this.heads.get(chain);
    if (head) head.indexed = true;
  }
}

/** One memory per process: the runtime's functions share it, as they share the table. */
export const processHeads = new RememberedHeads();
