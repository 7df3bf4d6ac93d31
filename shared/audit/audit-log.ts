/**
 * The append-only audit trail on the `Table` port (the `audit` table): pk
 * `audit#<runId>`, sk the zero-padded sequence number, plus one `head` item
 * per run with the last sequence and hash.
 *
 * Appending is a conditional put "no record with this sequence yet"; a
 * writer that loses the race re-reads the end of the chain and tries the
 * next number, so concurrent writers (tool-gate, approval pages, the agent
 * step) never fork a run's chain.
 */
import { ConditionFailedError, queryAll, type Item, type Table } from '../storage/table';
import { AuditContentionError, AuditRunNotFoundError } from './errors';
import { GENESIS, recordHash, verifyAuditChain, type AuditData, type AuditKind, type AuditRecord, type ChainVerdict } from './record';

const SEQ_WIDTH = 10;
const MAX_ATTEMPTS = 25;

export const auditPk = (runId: string): string => `audit#${runId}`;
export const auditSk = (seq: number): string => String(seq).padStart(SEQ_WIDTH, '0');
const HEAD_SK = 'head';

function toRecord(item: Item): AuditRecord {
  const { runId, seq, kind, at, data, prevHash, hash } = item as unknown as AuditRecord;
  return { runId, seq, kind, at, data, prevHash, hash };
}

export class AuditLog {
  constructor(
    private readonly table: Table,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Appends one record to a run's chain and returns it.
   *
   * @example await audit.append(runId, 'rights.evaluated', { tool, agentId, decision, ruleId, reason, inputDigest })
   * @throws AuditContentionError after repeated lost races
   */
  async append<K extends AuditKind>(runId: string, kind: K, data: AuditData<K>, at: Date = this.clock()): Promise<AuditRecord<K>> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const last = await this.last(runId);
      const seq = (last?.seq ?? 0) + 1;
      const unsigned = { runId, seq, kind, at: at.toISOString(), data, prevHash: last?.hash ?? GENESIS };
      const record: AuditRecord<K> = { ...unsigned, hash: recordHash(unsigned) };
      try {
        await this.table.put({ pk: auditPk(runId), sk: auditSk(seq), ...record }, { itemExists: false });
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
        continue;
      }
      // The head only moves forward; a slower writer of an earlier record must not move it back.
      await this.table
        .put(
          { pk: auditPk(runId), sk: HEAD_SK, seq, hash: record.hash, at: record.at },
          { any: [{ field: 'seq', op: 'absent' }, { field: 'seq', op: 'lt', value: seq }] },
        )
        .catch((error: unknown) => {
          if (!(error instanceof ConditionFailedError)) throw error;
        });
      return record;
    }
    throw new AuditContentionError(runId, MAX_ATTEMPTS);
  }

  /** Every record of a run in order. */
  async records(runId: string): Promise<AuditRecord[]> {
    return (await this.stored(runId)).map((s) => s.record);
  }

  /** Checks a run's chain. @throws AuditRunNotFoundError when the run has no records and no head */
  async verify(runId: string): Promise<ChainVerdict> {
    const [stored, head] = await Promise.all([this.stored(runId), this.table.get({ pk: auditPk(runId), sk: HEAD_SK })]);
    if (stored.length === 0 && !head) throw new AuditRunNotFoundError(runId);
    return verifyAuditChain(runId, stored, head ? { seq: Number(head.seq), hash: String(head.hash) } : undefined);
  }

  /** Ids of every run with audit records (a scan: for the CLI, not hot paths). */
  async runs(): Promise<string[]> {
    const items = await this.table.scan({ pkPrefix: 'audit#' });
    return [...new Set(items.map((i) => i.pk.slice('audit#'.length)))].sort();
  }

  private async last(runId: string): Promise<AuditRecord | undefined> {
    const page = await this.table.query(auditPk(runId), { skTo: '9'.repeat(SEQ_WIDTH), reverse: true, limit: 1 });
    return page.items[0] ? toRecord(page.items[0]) : undefined;
  }

  private async stored(runId: string): Promise<{ position: number; record: AuditRecord }[]> {
    const items = await queryAll(this.table, auditPk(runId), { skFrom: auditSk(0), skTo: '9'.repeat(SEQ_WIDTH) });
    return items.map((item) => ({ position: Number(item.sk), record: toRecord(item) }));
  }
}
