/**
 * The append-only audit trail on the `Table` port (the `audit` table): pk
 * `audit#<runId>`, sk the zero-padded sequence number, plus one `head` item
 * per run holding the last sequence, its hash and the whole last record.
 *
 * Appending commits by moving the head (a conditional write: "the head is
 * still at the sequence I read"), then writes the record's own item. The
 * head is written first, so the table never holds a record the head does
 * not account for: a record past the head was put there by something else.
 * A process that dies between the two writes leaves the record in the head,
 * where readers find it and the next append copies it into place: that
 * append reads the head with the newest record item (one query) and writes
 * the head's record item only when it is not there. A process appending
 * after a head it moved itself skips that read while the head is still its
 * own (remembered-heads.ts): that record's item is there.
 *
 * Index chains list every run that has a trail, so a run whose records
 * were all deleted is still noticed by `verifyAll`. Every new run appends
 * to one, so they are sixteen (pk `audit-index#<0-f>`, by a hash of the run
 * id): one chain for all made every run's start queue behind every other's
 * (a single `audit-index` chain of earlier data is still read and verified).
 */
import { createHash } from 'node:crypto';
import { ConditionFailedError, queryAll, type Item, type Table } from '../storage/table';
import { secretAuditKey, type AuditKeyPort } from './audit-key';
import { AuditContentionError, AuditRunIdTooLongError, AuditRunNotFoundError, MAX_RUN_ID_CHARS } from './errors';
import { processHeads, type KnownOnceKeys, type RememberedHeads } from './remembered-heads';
import { GENESIS, recordHash, verifyAuditChain, type AuditData, type AuditKind, type AuditRecord, type ChainVerdict } from './record';

const SEQ_WIDTH = 10;
const MAX_ATTEMPTS = 40;
/** Longest pause between two attempts of one append (attempts back off exponentially up to this). */
const MAX_BACKOFF_MS = 1000;

export const auditPk = (runId: string): string => `audit#${runId}`;
export const auditSk = (seq: number): string => String(seq).padStart(SEQ_WIDTH, '0');
const HEAD_SK = 'head';
/** The index chains: one `run.indexed` record per run, in the chain its id hashes to. Not under `audit#`, so not runs. */
const LEGACY_INDEX_PK = 'audit-index';
const INDEX_SHARDS = 16;
const indexPkOf = (runId: string): string => `${LEGACY_INDEX_PK}#${(createHash('sha256').update(runId).digest()[0] % INDEX_SHARDS).toString(16)}`;
// Pure: only `AuditLog` reads them, so a writer's bundle (every function that appends) leaves them out.
const INDEX_PKS = /* @__PURE__ */ (() => [LEGACY_INDEX_PK, ...Array.from({ length: INDEX_SHARDS }, (_, i) => `${LEGACY_INDEX_PK}#${i.toString(16)}`)])();
/** Whether `pk` is an index chain's (the archive keeps their records as it keeps runs'). */
export const isIndexPk = (pk: string): boolean => pk === LEGACY_INDEX_PK || pk.startsWith(`${LEGACY_INDEX_PK}#`);
/** The name an index chain's records carry and its verdict shows: `(index)`, `(index 3)`. */
const indexLabel = (pk: string): string => (pk === LEGACY_INDEX_PK ? '(index)' : `(index ${pk.slice(LEGACY_INDEX_PK.length + 1)})`);
export const indexedMarker = (runId: string) => ({ pk: `audit-indexed#${runId}`, sk: 'member' });

function toRecord(item: Record<string, unknown>): AuditRecord {
  const { runId, seq, kind, at, data, prevHash, hash, once } = item as unknown as AuditRecord;
  return { runId, seq, kind, at, data, prevHash, ...(once !== undefined ? { once } : {}), hash };
}

interface Head {
  seq: number;
  hash: string;
  record: AuditRecord;
  indexed: boolean;
}

/** A record as the table holds it: `position` is its sort key, which a moved item may not match. */
interface StoredRecord {
  position: number;
  record: AuditRecord;
}

const toStored = (items: Item[]): StoredRecord[] => items.map((item) => ({ position: Number(item.sk), record: toRecord(item) }));

/** The head `item` holds, if it is a chain's head. */
function toHead(item: Item | undefined): Head | undefined {
  if (item?.sk !== HEAD_SK || !item.record || typeof item.record !== 'object') return undefined;
  return { seq: Number(item.seq), hash: String(item.hash), record: toRecord(item.record as Record<string, unknown>), indexed: item.indexed === true };
}

export interface AuditLogOptions {
  /** The HMAC key; default the `audit-chain-key` secret. */
  key?: AuditKeyPort;
  /** What this process remembers of the heads it moved; default the process's own (tests stand in for other processes). */
  heads?: RememberedHeads;
}

/**
 * Appends to the trail. Functions that only write records take this (tables.ts `auditWriter`), so their
 * bundles do not carry reading and verifying chains; `AuditLog` adds those.
 */
export class AuditWriter {
  protected readonly key: AuditKeyPort;
  protected readonly heads: RememberedHeads;

  constructor(
    readonly table: Table,
    readonly clock: () => Date = () => new Date(),
    options: AuditLogOptions = {},
  ) {
    this.key = options.key ?? secretAuditKey;
    this.heads = options.heads ?? processHeads;
  }

  /**
   * Appends one record to a run's chain and returns it.
   *
   * @example await audit.append(runId, 'rights.evaluated', { tool, agentId, decision, ruleId, reason, inputDigest })
   * @throws AuditContentionError after repeated lost races
   */
  async append<K extends AuditKind>(runId: string, kind: K, data: AuditData<K>, at: Date = this.clock()): Promise<AuditRecord<K>> {
    const { record, indexed, created } = await this.appendTo(auditPk(runId), runId, kind, data, at);
    if (!indexed) await this.index(runId, created);
    return record;
  }

  /**
   * Appends a record unless the run's chain already has one with this
   * `once` key (then returns that one): for effects that may be retried
   * after a crash, so the trail says each thing happened once.
   */
  async appendOnce<K extends AuditKind>(runId: string, once: string, kind: K, data: AuditData<K>, at: Date = this.clock()): Promise<AuditRecord<K>> {
    const { record, indexed, created } = await this.appendTo(auditPk(runId), runId, kind, data, at, once);
    if (!indexed) await this.index(runId, created);
    return record;
  }

  /**
   * Lists the run in the index once it has a record. Runs after the run's
   * own record, so a crash in between leaves a run that is not yet indexed
   * (its next append indexes it), never an index entry without a trail. A
   * chain this append created was not indexed before (its run is listed at
   * most once all the same: the index chain's records are checked first).
   * Without `marker`, the caller's next head move carries the listing instead (append-each.ts).
   */
  async index(runId: string, created: boolean, marker = true): Promise<void> {
    const runChain = `${this.table.name}\u0000${auditPk(runId)}`;
    if (!created && (await this.table.get(indexedMarker(runId)))) return this.heads.markIndexed(runChain);
    // Every new run appends to one of the index chains. Within a process the runs of one chain take turns, so they
    // do not lose race after race to each other (after a restart dozens start at once: runs failed with
    // Audit.Contention), and what the process has read of the chain is kept, so each turn reads only what was
    // appended since.
    const pk = indexPkOf(runId);
    const index = indexOf(this.table, pk);
    const turn = index.turn
      .catch(() => undefined)
      .then(async () => {
        if (!index.keys.has(runId)) await this.appendTo(pk, indexLabel(pk), 'run.indexed', { runId }, this.clock(), runId, { seen: index });
        if (marker) await this.table.put({ ...indexedMarker(runId), runId });
        this.heads.markIndexed(runChain);
      });
    index.turn = turn;
    await turn;
  }

  /** One record onto chain `pk`: the step `append`, `appendOnce` and append-each.ts are made of (not for handlers). */
  async appendTo<K extends AuditKind>(
    pk: string,
    runId: string,
    kind: K,
    data: AuditData<K>,
    at: Date,
    once?: string,
    { seen, fresh = false }: { seen?: ReadIndex; fresh?: boolean } = {},
  ): Promise<{ record: AuditRecord<K>; indexed: boolean; created: boolean }> {
    const key = await this.key('append');
    const chain = `${this.table.name}\u0000${pk}`;
    // Once keys this call has read from the table: a retry after a lost race reads only what was appended since. On an
    // index chain (one record per run, every new run appending) `seen` carries them across calls: re-reading the whole
    // chain on every attempt made each attempt slower than the next run's, so appends lost race after race.
    let read: KnownOnceKeys | undefined = seen;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const recalled = this.heads.recall(chain);
      const recalledOnce = seen ?? recalled?.once;
      const fromMemory = !!recalled && (once === undefined || (recalledOnce?.upTo === recalled.seq && !recalledOnce.keys.has(once)));
      let base: { seq: number; hash: string; indexed: boolean } | undefined;
      let known: KnownOnceKeys | undefined;
      // A chain the caller expects to be new is created without reading its head first: a new chain has no records and
      // no once keys, and the create is conditional on there being no head, so a chain that exists refuses it (then read).
      const guessNew = fresh && attempt === 0 && !recalled;
      if (fromMemory) {
        base = recalled;
        known = recalledOnce;
      } else if (guessNew) {
        known = { upTo: 0, keys: new Set() };
      } else {
        const remembered = this.heads.peek(chain);
        // The head and the newest record item in one request (every record, when once keys are neither read nor
        // remembered): the partition backwards, `head` sorting after every zero-padded sequence. So the append sees
        // whether the head's record has its item, and writes it only when it is missing (its writer died in between)
        // instead of every time to be refused. Backwards, the head is read first: every record it accounts for but its
        // own has its item by then, and items only ever appear.
        const all = once !== undefined && !read && !remembered?.once;
        const items = await queryAll(this.table, pk, { skFrom: auditSk(0), skTo: HEAD_SK, reverse: true, limit: all ? undefined : 2 });
        const head = toHead(items[0]);
        const same = !!head && !!remembered && head.seq === remembered.seq && head.hash === remembered.hash;
        if (remembered) this.heads.observe(same);
        if (head && !items.some((i) => i.sk === auditSk(head.seq))) await this.materialise(pk, head.record);
        known = !head ? (seen ?? { upTo: 0, keys: new Set() }) : (read ?? (same ? remembered.once : undefined));
        if (once !== undefined && head) {
          // Keys known from memory say a record is there, not which: then the chain is read from its start.
          const fresh = await this.readOnceKeys(
            pk,
            head,
            (known = read = !known || known.keys.has(once) ? { upTo: 0, keys: new Set() } : known),
            // The head's own item among these has no position (NaN): `recordsAfter` keeps those up to the head's sequence.
            all ? toStored(items.reverse()) : undefined,
          );
          const earlier = fresh.find((r) => r.once === once);
          if (earlier) return { record: earlier as AuditRecord<K>, indexed: head.indexed, created: false };
        }
        // Carried in the head so appends stop asking once the run is indexed (the audit role may only put, get and query).
        const indexed = head?.indexed === true || (same && remembered.indexed) || (!isIndexPk(pk) && !!head && !!(await this.table.get(indexedMarker(runId))));
        base = head && { seq: head.seq, hash: head.hash, indexed };
      }
      const seq = (base?.seq ?? 0) + 1;
      const unsigned = { runId, seq, kind, at: at.toISOString(), data, prevHash: base?.hash ?? GENESIS, ...(once !== undefined ? { once } : {}) };
      const record = { ...unsigned, hash: recordHash(unsigned, key) } as AuditRecord<K>;
      const indexed = base?.indexed === true;
      try {
        await this.table.put(
          { pk, sk: HEAD_SK, seq, hash: record.hash, record: record as unknown as Record<string, unknown>, indexed },
          base
            ? {
                all: [
                  { field: 'seq', op: 'eq', value: base.seq },
                  { field: 'hash', op: 'eq', value: base.hash },
                ],
              }
            : { itemExists: false },
        );
      } catch (error) {
        if (fromMemory) {
          this.heads.forget(chain, recalled);
          if (error instanceof ConditionFailedError) this.heads.observe(false);
        }
        if (!(error instanceof ConditionFailedError)) throw error;
        if (guessNew) continue;
        // Full jitter, growing: many writers of one chain (new runs on the index) spread out instead of colliding again.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(MAX_BACKOFF_MS, 5 * 2 ** attempt)));
        continue;
      }
      if (fromMemory) this.heads.observe(true);
      try {
        await this.materialise(pk, record);
      } catch (error) {
        // The record is committed in the head: the next append, reading the head, writes its item.
        this.heads.forget(chain);
        throw error;
      }
      // Every once key up to the new record is known when they were up to the one before it.
      const completeBefore = known !== undefined && known.upTo === seq - 1;
      if (completeBefore && once !== undefined) known!.keys.add(once);
      if (completeBefore) known!.upTo = seq;
      this.heads.remember(chain, { seq, hash: record.hash, indexed, ...(completeBefore && !seen ? { once: known } : {}) });
      return { record, indexed, created: seq === 1 };
    }
    throw new AuditContentionError(runId, MAX_ATTEMPTS);
  }

  /** Reads the records appended after `known.upTo` up to the head (none when given the chain's `stored` records), adding their once keys to `known`. */
  private async readOnceKeys(pk: string, head: Head, known: KnownOnceKeys, stored?: StoredRecord[]): Promise<AuditRecord[]> {
    const fresh = await this.recordsAfter(pk, known.upTo, head, stored);
    for (const r of fresh) if (r.once !== undefined) known.keys.add(r.once);
    known.upTo = Math.max(known.upTo, head.seq);
    return fresh;
  }

  /** Writes a committed record's own item (idempotent: it may be there already). */
  protected async materialise(pk: string, record: AuditRecord): Promise<void> {
    await this.table.put({ pk, sk: auditSk(record.seq), ...record } as Item, { itemExists: false }).catch((error: unknown) => {
      if (!(error instanceof ConditionFailedError)) throw error;
    });
  }

  /** The chain's records past sequence `after`, up to the head (whose record may not have its own item yet), read unless given. */
  protected async recordsAfter(pk: string, after: number, head: Head, stored?: StoredRecord[]): Promise<AuditRecord[]> {
    if (head.seq <= after) return [];
    return withHeadRecord(stored ?? (await this.stored(pk, after + 1)), head)
      .filter((s) => s.position > after && s.position <= head.seq)
      .map((s) => s.record);
  }

  protected async stored(pk: string, from = 0): Promise<StoredRecord[]> {
    return toStored(await queryAll(this.table, pk, { skFrom: auditSk(from), skTo: '9'.repeat(SEQ_WIDTH) }));
  }
}

/** The trail: appending, and reading and verifying chains (the CLI, the console, the local runtime). */
export class AuditLog extends AuditWriter {
  private async head(pk: string): Promise<Head | undefined> {
    return toHead(await this.table.get({ pk, sk: HEAD_SK }));
  }

  /**
   * A chain's items, then its head. An append moves the head before it writes its item, so a head read after the items
   * accounts for every item they hold. Read together, an append landing between the two reads left an item past the
   * head that was read, and a live chain was reported `appended`, as a forged record would be.
   */
  private async chainToVerify(pk: string): Promise<{ stored: StoredRecord[]; head: Head | undefined }> {
    const stored = await this.stored(pk);
    return { stored, head: await this.head(pk) };
  }

  /** Every record of a run in order. */
  async records(runId: string): Promise<AuditRecord[]> {
    if (runId.length > MAX_RUN_ID_CHARS) throw new AuditRunIdTooLongError(runId);
    const [stored, head] = await Promise.all([this.stored(auditPk(runId)), this.head(auditPk(runId))]);
    return withHeadRecord(stored, head)
      .filter((s) => !head || s.position <= head.seq)
      .map((s) => s.record);
  }

  /**
   * Checks a run's chain. A run the index lists whose trail is gone is a
   * broken chain, not an unknown run.
   *
   * @throws AuditRunNotFoundError when the run has no records, no head and is not indexed
   * @throws AuditRunIdTooLongError when no run can have that id
   */
  async verify(runId: string): Promise<ChainVerdict> {
    if (runId.length > MAX_RUN_ID_CHARS) throw new AuditRunIdTooLongError(runId);
    const { stored, head } = await this.chainToVerify(auditPk(runId));
    if (stored.length === 0 && !head) {
      // A run listed by a step that wrote several records has no marker (its head carried the listing): the index says.
      if ((await this.table.get(indexedMarker(runId))) || (await this.indexedRuns()).includes(runId)) return deletedRun(runId);
      throw new AuditRunNotFoundError(runId);
    }
    return verifyAuditChain(runId, withHeadRecord(stored, head), head ? { seq: head.seq, hash: head.hash } : undefined, await this.key('verify'));
  }

  /**
   * Verifies every run: those with records and those the index lists (so a
   * deleted trail is reported), and the index chain itself.
   */
  async verifyAll(): Promise<ChainVerdict[]> {
    const [present, indexed, indexVerdicts] = await Promise.all([this.runs(), this.indexedRuns(), this.verifyIndex()]);
    const verdicts: ChainVerdict[] = [];
    for (const runId of [...new Set([...present, ...indexed])].sort()) {
      verdicts.push(present.includes(runId) ? await this.verify(runId) : deletedRun(runId));
    }
    verdicts.push(...indexVerdicts);
    return verdicts;
  }

  /** Ids of every run with audit records (a scan: for the CLI, not hot paths). */
  async runs(): Promise<string[]> {
    const items = await this.table.scan({ pkPrefix: 'audit#' });
    return [...new Set(items.map((i) => i.pk.slice('audit#'.length)))].sort();
  }

  /** Ids of every run the index lists. */
  async indexedRuns(): Promise<string[]> {
    const chains = await Promise.all(INDEX_PKS.map(async (pk) => withHeadRecord(await this.stored(pk), await this.head(pk))));
    return [...new Set(chains.flat().map((s) => String((s.record.data as { runId?: unknown }).runId)))].sort();
  }

  /** The verdict of each index chain that has records. */
  private async verifyIndex(): Promise<ChainVerdict[]> {
    const key = await this.key('verify');
    const verdicts = await Promise.all(
      INDEX_PKS.map(async (pk) => {
        const { stored, head } = await this.chainToVerify(pk);
        if (stored.length === 0 && !head) return undefined;
        return verifyAuditChain(indexLabel(pk), withHeadRecord(stored, head), head ? { seq: head.seq, hash: head.hash } : undefined, key);
      }),
    );
    return verdicts.filter((v): v is ChainVerdict => v !== undefined);
  }
}

/** What this process has read of a table's index chain (the runs listed up to `upTo`), and its turn to append to it. */
interface ReadIndex extends KnownOnceKeys {
  turn: Promise<void>;
}

const readIndexes = new WeakMap<Table, Map<string, ReadIndex>>();

function indexOf(table: Table, pk: string): ReadIndex {
  let chains = readIndexes.get(table);
  if (!chains) readIndexes.set(table, (chains = new Map()));
  let index = chains.get(pk);
  if (!index) chains.set(pk, (index = { upTo: 0, keys: new Set(), turn: Promise.resolve() }));
  return index;
}

/** The stored records, with the head's record in place when its own item was not written yet. */
function withHeadRecord(stored: { position: number; record: AuditRecord }[], head: Head | undefined): { position: number; record: AuditRecord }[] {
  if (!head || stored.some((s) => s.position === head.seq)) return stored;
  return [...stored, { position: head.seq, record: head.record }].sort((a, b) => a.position - b.position);
}

function deletedRun(runId: string): ChainVerdict {
  return {
    runId,
    ok: false,
    count: 0,
    problems: [{ seq: 0, problem: 'truncated', message: 'the audit index lists this run, but its whole audit trail is gone' }],
  };
}
