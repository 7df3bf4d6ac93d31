/**
 * The approvals a page shows, read through the index entries
 * (./approval-index.ts) and checked against each approval: what a page reads
 * grows with what it shows, not with the table. A data directory or table
 * from before the index is listed once, on the first read (a scan), and
 * marked done.
 */
import { queryAll, type Table } from '../storage/table';
import { everyoneAsked, wasAsked, type Approval } from './approval';
import { OPEN_PK, RUN_APPROVAL_SK, approverPk, closedPk, closedEntry, entriesOfNew, runApprovalsPk } from './approval-index';
import { ApprovalStore, readApproval } from './approval-store';

const FILLED = { pk: 'approval-index', sk: 'filled' };
/** An open entry whose approval does not exist yet may be a create in flight; older than this, it was a crash. */
const CREATE_GRACE_MS = 10 * 60_000;
/** How far back the recently closed approvals are looked for: this month and the one before. */
const CLOSED_MONTHS = 2;

export class ApprovalLists {
  /** The first read's fill, shared by the reads that start while it runs. */
  private filling: Promise<void> | undefined;

  constructor(
    private readonly table: Table,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Every pending approval. Entries of approvals that closed (or were never made) are removed on the way. */
  async pending(): Promise<Approval[]> {
    await this.fill();
    const entries = await queryAll(this.table, OPEN_PK);
    const found = await Promise.all(entries.map(async (e) => ({ e, approval: await readApproval(this.table, String(e.sk)) })));
    const now = this.now().getTime();
    const stale = found.filter(({ e, approval }) => (approval ? approval.status !== 'pending' : now - Date.parse(String(e.at)) > CREATE_GRACE_MS));
    await Promise.all(stale.map(({ e }) => this.table.delete({ pk: OPEN_PK, sk: e.sk })));
    return found.flatMap(({ approval }) => (approval?.status === 'pending' ? [approval] : []));
  }

  /** A run's approvals, oldest first. */
  async ofRun(runId: string): Promise<Approval[]> {
    await this.fill();
    const entries = await queryAll(this.table, runApprovalsPk(runId), { skPrefix: RUN_APPROVAL_SK });
    const approvals = await this.read(entries.map((e) => String(e.sk).slice(RUN_APPROVAL_SK.length)));
    return approvals.filter((a) => a.runId === runId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The approvals a person was asked to decide (in any stage), newest first, at most `limit`. */
  async askedOf(personId: string, limit: number): Promise<Approval[]> {
    await this.fill();
    const { items } = await this.table.query(approverPk(personId), { reverse: true, limit });
    return (await this.read([...new Set(items.map((e) => String(e.approvalId)))])).filter((a) => wasAsked(a, personId));
  }

  /** The approvals closed most recently (this month or the last), newest first, at most `limit`. */
  async recentlyClosed(limit: number): Promise<Approval[]> {
    await this.fill();
    const out: Approval[] = [];
    const seen = new Set<string>();
    const now = this.now();
    for (let m = 0; m < CLOSED_MONTHS && out.length < limit; m++) {
      const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m, 1)).toISOString().slice(0, 7);
      let startAfter: string | undefined;
      do {
        const page = await this.table.query(closedPk(month), { reverse: true, limit: 100, ...(startAfter ? { startAfter } : {}) });
        const ids = page.items.map((e) => String(e.approvalId)).filter((id) => !seen.has(id));
        ids.forEach((id) => seen.add(id));
        for (const a of await this.read(ids)) if (a.status !== 'pending' && out.length < limit) out.push(a);
        startAfter = page.last;
      } while (startAfter && out.length < limit);
    }
    return out.sort((a, b) => (b.decidedAt ?? b.createdAt).localeCompare(a.decidedAt ?? a.createdAt));
  }

  private async read(ids: readonly string[]): Promise<Approval[]> {
    return (await Promise.all(ids.map((id) => readApproval(this.table, id)))).filter((a): a is Approval => a !== undefined);
  }

  private fill(): Promise<void> {
    this.filling ??= this.fillOnce().catch((error: unknown) => {
      this.filling = undefined;
      throw error;
    });
    return this.filling;
  }

  /** Lists the approvals stored before the index, once per table. */
  private async fillOnce(): Promise<void> {
    if (!(await this.table.get(FILLED))) {
      for (const a of await new ApprovalStore(this.table).list()) {
        const entries = entriesOfNew({ ...a, approvers: everyoneAsked(a) });
        const listed = a.status === 'pending' ? entries : [...entries.slice(1), closedEntry(a.id, a.decidedAt ?? a.createdAt)];
        await Promise.all(listed.map((entry) => this.table.put(entry)));
      }
      await this.table.put({ ...FILLED, at: this.now().toISOString() });
    }
  }
}
