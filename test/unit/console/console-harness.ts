/**
 * The console over in-memory tables (the real stores, the real approval
 * service and audit log) with an in-memory Step Functions listing and a
 * recording trigger switch, driven through the real console app with cookies,
 * as a browser would.
 */
import { ApprovalStore, requestApproval, type ApprovalRequestDeps, type ApprovalEmail, type ApprovalOutcome } from '../../../shared/approvals';
import { AuditLog } from '../../../shared/audit';
import { ApprovalLists } from '../../../shared/approvals/approval-lists';
import { ConversationStore } from '../../../shared/agents/conversation-store';
import { ControlStore } from '../../../shared/console/controls';
import { RunsToday } from '../../../shared/console/runs-today';
import type { ConsoleDeps } from '../../../shared/console/deps';
import type { ExecutionsPort, RunDetail, RunStatus } from '../../../shared/console/ports';
import { SessionStore } from '../../../shared/console/session-store';
import { SignInLinkStore } from '../../../shared/console/sign-in-links';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { createConsoleApp } from '../../../functions/console/app';
import { usageLedgerSpend } from '../../../functions/console/console-deps';

export const PEOPLE = [
  { id: 'maya', name: 'Maya Chen', email: 'maya@kestrel.example', roles: ['owner', 'admin'] },
  { id: 'sam', name: 'Sam Ortiz', email: 'sam@kestrel.example', roles: ['support-lead'] },
  { id: 'priya', name: 'Priya Natarajan', email: 'priya@kestrel.example', roles: ['finance'] },
];

export const WORKFLOWS = ['support-desk', 'sales-follow-up', 'weekly-review'];
export const T0 = new Date('2026-12-06T10:00:00Z');

/** Step Functions' listing semantics in memory: per state machine, newest first, opaque continuation tokens. */
export class MemoryExecutions implements ExecutionsPort {
  readonly runs: RunDetail[] = [];
  readonly stopped: { arn: string; cause: string }[] = [];
  listCalls = 0;

  arnOf(workflowId: string): string {
    return `arn:aws:states:us-east-1:000000000000:stateMachine:${workflowId}`;
  }

  add(runId: string, workflowId: string, status: RunStatus, startedAt: Date): RunDetail {
    const run: RunDetail = {
      runId,
      workflowId,
      status,
      startedAt,
      executionArn: `${this.arnOf(workflowId).replace(':stateMachine:', ':execution:')}:${runId}`,
      ...(status === 'RUNNING' ? {} : { stoppedAt: new Date(startedAt.getTime() + 1000) }),
    };
    this.runs.push(run);
    return run;
  }

  async workflows() {
    return WORKFLOWS.map((id) => ({ id, arn: this.arnOf(id) }));
  }

  async list(arn: string, o: { status?: RunStatus; nextToken?: string; max: number }) {
    this.listCalls++;
    const all = this.runs
      .filter((r) => this.arnOf(r.workflowId) === arn && (!o.status || r.status === o.status))
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || b.runId.localeCompare(a.runId));
    const start = o.nextToken ? Number(Buffer.from(o.nextToken, 'base64').toString()) : 0;
    const page = all.slice(start, start + o.max);
    return { runs: page, ...(start + o.max < all.length ? { nextToken: Buffer.from(String(start + o.max)).toString('base64') } : {}) };
  }

  async find(runId: string) {
    return this.runs.find((r) => r.runId === runId);
  }

  describeCalls = 0;
  async describe(executionArn: string) {
    this.describeCalls++;
    return this.runs.find((r) => r.executionArn === executionArn);
  }

  async history() {
    return [];
  }

  async stop(arn: string, cause: string) {
    this.stopped.push({ arn, cause });
    const run = this.runs.find((r) => r.executionArn === arn);
    if (run) Object.assign(run, { status: 'ABORTED', stoppedAt: new Date() });
  }
}

export interface ConsoleHarness {
  deps: ConsoleDeps;
  approvalDeps: ApprovalRequestDeps;
  state: MemoryTable;
  auditTable: MemoryTable;
  mail: ApprovalEmail[];
  resumed: { token: string; output: ApprovalOutcome }[];
  executions: MemoryExecutions;
  switched: { workflowId: string; on: boolean }[];
  clock: { now: Date };
  app: ReturnType<typeof createConsoleApp>;
}

export function consoleHarness(): ConsoleHarness {
  const state = new MemoryTable('state');
  const auditTable = new MemoryTable('audit');
  const mail: ApprovalEmail[] = [];
  const resumed: { token: string; output: ApprovalOutcome }[] = [];
  const clock = { now: T0 };
  const audit = new AuditLog(auditTable, () => clock.now);
  const approvalDeps: ApprovalRequestDeps = {
    store: new ApprovalStore(state),
    audit,
    signingKey: async () => 'test-signing-key-0123456789abcdef',
    notifier: { sendTaskSuccess: async (token, output) => void resumed.push({ token, output }) },
    mailer: { send: async (email) => void mail.push(email) },
    people: PEOPLE,
    publicUrl: 'https://aios.example/',
    toolDescribers: { 'refunds.issue': (i) => `Refund $${(i as { amount: number }).amount.toFixed(2)} on order ${(i as { orderId: string }).orderId}` },
    now: () => clock.now,
  };
  const executions = new MemoryExecutions();
  const switched: { workflowId: string; on: boolean }[] = [];
  const deps: ConsoleDeps = {
    definition: {
      name: 'Kestrel Coffee Co.',
      workflows: WORKFLOWS.map((id) => ({ id, description: `the ${id} workflow` })),
      agents: [
        { id: 'triage', description: 'uses refunds.issue' },
        { id: 'research', description: 'uses crm.note' },
      ],
      rules: [{ id: 'medium-refunds', description: 'Refunds from $50 to $500 need the support lead.' }],
    },
    approvals: approvalDeps,
    approvalLists: new ApprovalLists(state, () => clock.now),
    audit,
    sessions: new SessionStore(state),
    signInLinks: new SignInLinkStore(state),
    controls: new ControlStore(state),
    executions,
    runsToday: new RunsToday(executions, state),
    triggers: {
      disable: async (workflowId) => (switched.push({ workflowId, on: false }), [`rule aios-wf-${workflowId}-0`]),
      enable: async (workflowId) => (switched.push({ workflowId, on: true }), [`rule aios-wf-${workflowId}-0`]),
    },
    spend: usageLedgerSpend(state),
    conversations: new ConversationStore(state),
    mailer: approvalDeps.mailer,
    publicUrl: 'https://aios.example',
    secureCookies: true,
    now: () => clock.now,
  };
  return { deps, approvalDeps, state, auditTable, mail, resumed, executions, switched, clock, app: createConsoleApp(() => deps) };
}

/** A browser: keeps its cookies, sends forms as a browser does. */
export class Browser {
  readonly jar = new Map<string, string>();
  constructor(private readonly h: ConsoleHarness) {}

  private cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const [name, value] = pair.split('=');
      if (attrs.some((a) => /max-age=0/i.test(a.trim())) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async get(path: string): Promise<{ status: number; html: string; res: Response }> {
    const res = await this.h.app.request(`https://aios.example${path}`, { headers: this.jar.size ? { cookie: this.cookieHeader() } : {} });
    this.keep(res);
    return { status: res.status, html: await res.text(), res };
  }

  async post(path: string, form: Record<string, string> | URLSearchParams): Promise<{ status: number; html: string; res: Response }> {
    const res = await this.h.app.request(`https://aios.example${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(this.jar.size ? { cookie: this.cookieHeader() } : {}) },
      body: new URLSearchParams(form).toString(),
    });
    this.keep(res);
    return { status: res.status, html: await res.text(), res };
  }
}

/** The hidden CSRF field of a page. */
export function csrfOf(html: string): string {
  return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

/** The sign-in link in the newest sign-in email to `email`. */
export function signInLinkOf(h: ConsoleHarness, email: string): string {
  const mail = [...h.mail].reverse().find((m) => m.to === email && /Sign in/.test(m.subject));
  return new URL(/https:\/\/aios\.example\/console\/sign-in\/\S+/.exec(mail!.text)![0]).pathname;
}

/** Signs `email` in from a fresh browser. */
export async function signIn(h: ConsoleHarness, email: string): Promise<Browser> {
  const b = new Browser(h);
  const form = await b.get('/console/sign-in');
  await b.post('/console/sign-in', { email, csrf: csrfOf(form.html) });
  const link = signInLinkOf(h, email);
  const page = await b.get(link);
  const done = await b.post(link, { csrf: csrfOf(page.html) });
  if (done.status !== 303) throw new Error(`sign-in failed: ${done.status} ${done.html}`);
  return b;
}

/** A pending refund approval for Sam (run `run-1` of support-desk). */
export async function pendingRefund(h: ConsoleHarness, over: Record<string, unknown> = {}): Promise<string> {
  const r = await requestApproval(h.approvalDeps, {
    taskToken: 'token-1',
    runId: 'run-1',
    workflowId: 'support-desk',
    stepId: 'triage',
    agentId: 'triage',
    stage: 'primary',
    call: {
      toolUseId: 'tu-1',
      name: 'refunds.issue',
      input: { orderId: 'KC-10482', amount: 64, currency: 'USD', reason: 'never arrived' },
      reason: 'The order never arrived.',
    },
    approvers: ['sam'],
    quorum: 1,
    timeoutSeconds: 4 * 3600,
    ...over,
  });
  return r.approvalId;
}
