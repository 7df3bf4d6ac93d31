/**
 * The fault harness's approvers: each pending approval is decided by its
 * first approver through the approval page's form, the CLI, or both at once.
 *
 * An approval counts as decided only when the runtime shows it: a decision
 * by that approver stored, or the approval no longer pending. Whatever an
 * attempt was answered (a page, a refusal, an exit code, a timeout), if the
 * runtime shows no decision afterwards the approval is tried again at the
 * next round, so an attempt lost to a kill, a hung request or a slow CLI
 * start is never taken for a decision. Every attempt is logged with its
 * time, answers and outcome, so an approval left undecided can be explained
 * from the harness log alone.
 */
import type { Approval } from '../../shared/approvals/approval';
import type { ApprovalStore } from '../../shared/approvals/approval-store';
import { approvalUrl } from '../../shared/approvals/signed-link';

/** Every request the harness makes gives up after this: a request to a killed or stalled runtime must not hang an attempt. */
export const REQUEST_TIMEOUT_MS = 60_000;
/** A CLI attempt starts a Node process through tsx: slow on a loaded machine, so longer than one request. */
export const CLI_TIMEOUT_MS = 120_000;

/** CLI attempts running at once, at most. */
export const MAX_CLI_AT_ONCE = 4;
/**
 * Attempts of any kind running at once, at most. With every pending approval tried at once (207 when a drain
 * began, 131 in flight) each decision waited behind the others past the local API Gateway's 30 s: a crowd no
 * approver makes, and a timeout that says nothing about what the runtime keeps.
 */
export const MAX_ATTEMPTS_AT_ONCE = 16;

export type CliRun = (args: string[], timeoutMs: number) => Promise<{ status: number | null; stdout: string; stderr: string }>;

export interface DeciderDeps {
  url: string;
  linkKey: () => string;
  cli: CliRun;
  random: () => number;
  /** The runtime's approvals (the `state` table through the runtime's DynamoDB). */
  store: () => ApprovalStore;
  log: (line: string) => void;
  violation: (text: string) => void;
}

interface Attempted {
  vote: 'approve' | 'reject';
  attempts: number;
  inFlight: boolean;
  /** The runtime showed a decision (or the approval closed) after an attempt. */
  decided: boolean;
  lastEndedAt: number;
}

/** Resolves with `promise`, or rejects after `ms` (for calls that take no abort signal). */
export function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `fetch` that gives up after REQUEST_TIMEOUT_MS. */
export function fetchWithin(input: string, init: RequestInit = {}, ms = REQUEST_TIMEOUT_MS): Promise<Response> {
  return fetch(input, { ...init, signal: AbortSignal.timeout(ms) });
}

/** The page answered before its deadline that it could not confirm yet (503 with Retry-After): a lost attempt, never a violation. */
function askedToRetry(res: Response): boolean {
  return res.status === 503 && res.headers.has('retry-after');
}

const brief = (error: unknown) => {
  const e = error as { name?: string; message?: string; cause?: { code?: string } };
  return e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message ?? String(error)).slice(0, 80);
};

export class ApprovalDecider {
  private readonly attempted = new Map<string, Attempted>();
  private cliRunning = 0;
  readonly attempts = { viaForm: 0, viaCli: 0 };

  constructor(private readonly deps: DeciderDeps) {}

  /** Attempts still running. */
  get inFlight(): number {
    return [...this.attempted.values()].filter((a) => a.inFlight).length;
  }

  /**
   * One round: starts an attempt for each pending approval with none in
   * flight, up to MAX_ATTEMPTS_AT_ONCE in flight. `all` (the drain): every
   * one; otherwise (under traffic) some, each retried no sooner than two
   * seconds after its last attempt.
   */
  async round(all: boolean, track: (p: Promise<unknown>) => void): Promise<void> {
    let pending: Approval[];
    try {
      pending = (await within(REQUEST_TIMEOUT_MS, this.deps.store().list(), 'listing approvals')).filter((a) => a.status === 'pending');
    } catch {
      return; // down: the next round lists again
    }
    let inFlight = this.inFlight;
    for (const a of pending) {
      if (inFlight >= MAX_ATTEMPTS_AT_ONCE) return;
      const seen = this.attempted.get(a.id);
      if (seen?.inFlight) continue;
      if (!all && (this.deps.random() < 0.4 || (seen && Date.now() - seen.lastEndedAt < 2000))) continue;
      const entry: Attempted = seen ?? { vote: this.deps.random() < 0.75 ? 'approve' : 'reject', attempts: 0, inFlight: false, decided: false, lastEndedAt: 0 };
      this.attempted.set(a.id, entry);
      entry.inFlight = true;
      inFlight++;
      entry.attempts++;
      track(
        this.attempt(a, entry).finally(() => {
          entry.inFlight = false;
          entry.lastEndedAt = Date.now();
        }),
      );
    }
  }

  private async attempt(a: Approval, entry: Attempted): Promise<void> {
    const r = this.deps.random();
    // A CLI attempt is a whole Node process: dozens started at once on a loaded machine each outlast their timeout
    // and are killed before deciding, round after round. People do not type 36 commands at once either.
    const cliFree = this.cliRunning < MAX_CLI_AT_ONCE;
    const via = r < 0.55 || !cliFree ? 'web' : 'cli';
    const both = r > 0.85 && cliFree; // the same person clicks the page and types the command at once
    const started = Date.now();
    const answers = await Promise.all([
      via === 'web' || both ? this.byForm(a, entry.vote) : undefined,
      via === 'cli' || both ? this.byCli(a, entry.vote) : undefined,
    ]);
    const shown = await this.decisionShown(a);
    if (shown === true) entry.decided = true;
    const said = answers.filter((x): x is Answer => x !== undefined);
    this.deps.log(
      `approval ${a.id} attempt ${entry.attempts} (${entry.vote}) ${said.map((x) => `${x.via} ${x.text}`).join('; ')} in ${Date.now() - started} ms → ` +
        (shown === true ? 'decision recorded' : shown === false ? 'NO decision recorded, will retry' : `runtime not readable (${shown}), will retry`),
    );
    // A "recorded" answer with nothing recorded would be a runtime defect, not a lost attempt.
    if (shown === false)
      for (const x of said.filter((y) => y.claimsRecorded)) this.deps.violation(`approval ${a.id}: ${x.via} answered ${x.text} but no decision is recorded`);
  }

  /** True when the runtime shows this approver's decision or the approval closed; false when not; a string when it could not be read. */
  private async decisionShown(a: Approval): Promise<boolean | string> {
    try {
      const store = this.deps.store();
      const [now, decisions] = await within(REQUEST_TIMEOUT_MS, Promise.all([store.get(a.id), store.decisions(a.id)]), 'reading the approval');
      return now?.status !== 'pending' || decisions.some((d) => d.approver === a.approvers[0]);
    } catch (error) {
      return brief(error);
    }
  }

  /** GET the signed link, POST its form: one try. */
  private async byForm(a: Approval, vote: 'approve' | 'reject'): Promise<Answer> {
    this.attempts.viaForm++;
    const link = approvalUrl(this.deps.url, this.deps.linkKey(), {
      approvalId: a.id,
      approver: a.approvers[0],
      stage: a.stage,
      expiresAt: Math.floor(Date.parse(a.deadline) / 1000),
    });
    let step = 'GET';
    try {
      const page = await fetchWithin(link);
      const html = await page.text();
      if (askedToRetry(page))
        return { via: 'web', text: `GET 503 Retry-After ${page.headers.get('retry-after')} (too busy, not confirmed, retry)`, claimsRecorded: false };
      if (page.status >= 500) this.deps.violation(`approval page ${a.id}: GET answered ${page.status}`);
      const form: Record<string, string> = {};
      for (const m of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) form[m[1]] = m[2];
      if (!form.t) return { via: 'web', text: `GET ${page.status} (no form)`, claimsRecorded: false };
      step = `GET ${page.status}, POST`;
      const res = await fetchWithin(link.split('?')[0], {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...form, decision: vote }).toString(),
      });
      const title = /<h1>([^<]*)<\/h1>/.exec(await res.text())?.[1] ?? '';
      if (askedToRetry(res))
        return { via: 'web', text: `${step} 503 Retry-After ${res.headers.get('retry-after')} "${title}" (not confirmed, retry)`, claimsRecorded: false };
      if (res.status >= 500) this.deps.violation(`approval page ${a.id}: POST answered ${res.status}`);
      return { via: 'web', text: `GET ${page.status}, POST ${res.status} "${title}"`, claimsRecorded: res.status === 200 };
    } catch (error) {
      return { via: 'web', text: `${step} failed: ${brief(error)}`, claimsRecorded: false };
    }
  }

  /** `aios approve|reject <id> --as <approver>`: one try. */
  private async byCli(a: Approval, vote: 'approve' | 'reject'): Promise<Answer> {
    this.attempts.viaCli++;
    const started = Date.now();
    this.cliRunning++;
    const r = await this.deps.cli([vote, a.id, '--as', a.approvers[0]], CLI_TIMEOUT_MS).finally(() => this.cliRunning--);
    const lines = (r.stderr + r.stdout).split('\n').filter((l) => l.trim() && !/NodeVersionSupportWarning|node >=|a\.co\/|trace-warnings/.test(l));
    const said = lines.find((l) => /recorded|Approval\.|Runtime\.|Error/.test(l)) ?? lines.at(-1) ?? '';
    return {
      via: 'cli',
      text: `exit ${r.status ?? 'killed (timeout)'} after ${Date.now() - started} ms "${said.slice(0, 120)}"`,
      claimsRecorded: r.status === 0,
    };
  }
}

interface Answer {
  via: 'web' | 'cli';
  text: string;
  /** The answer says the decision was recorded (page 200 after POST, CLI exit 0). */
  claimsRecorded: boolean;
}
