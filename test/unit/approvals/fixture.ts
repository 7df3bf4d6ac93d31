/** In-memory wiring of the approval service for unit tests: real store and audit on MemoryTable, recording ports. */
import { AuditLog } from '../../../shared/audit';
import { ApprovalStore, type ApprovalRequestDeps, type ApprovalEmail, type ApprovalOutcome } from '../../../shared/approvals';
import { MemoryTable } from '../../../shared/storage/memory-table';

export const PEOPLE = [
  { id: 'maya', name: 'Maya Chen', email: 'maya@kestrel.example', roles: ['owner', 'admin'] },
  { id: 'sam', name: 'Sam Ortiz', email: 'sam@kestrel.example', roles: ['support-lead'] },
  { id: 'priya', name: 'Priya Natarajan', email: 'priya@kestrel.example', roles: ['finance'] },
  { id: 'leo', name: 'Leo Park', email: 'leo@kestrel.example', roles: ['sales'] },
];

export const KEY = 'test-signing-key-0123456789abcdef';
export const AUDIT_KEY = 'test-audit-key';
export const T0 = new Date('2025-01-15T10:00:00Z');

/** The service's deps with the audit log the tests read back (the service itself only appends). */
export type AuditedDeps = ApprovalRequestDeps & { audit: AuditLog };

export interface Harness {
  deps: AuditedDeps;
  stateTable: MemoryTable;
  auditTable: MemoryTable;
  mail: ApprovalEmail[];
  resumed: { token: string; output: ApprovalOutcome }[];
  clock: { now: Date };
}

export function harness(): Harness {
  const stateTable = new MemoryTable('state');
  const auditTable = new MemoryTable('audit');
  const mail: ApprovalEmail[] = [];
  const resumed: { token: string; output: ApprovalOutcome }[] = [];
  const clock = { now: T0 };
  const deps: AuditedDeps = {
    store: new ApprovalStore(stateTable),
    audit: new AuditLog(auditTable, () => clock.now, { key: async () => AUDIT_KEY }),
    signingKey: async () => KEY,
    notifier: {
      async sendTaskSuccess(token, output) {
        resumed.push({ token, output });
      },
    },
    mailer: {
      async send(email) {
        mail.push(email);
      },
    },
    people: PEOPLE,
    publicUrl: 'https://aios.example/',
    toolDescribers: { 'refunds.issue': (i) => `Refund $${(i as { amount: number }).amount.toFixed(2)} on order ${(i as { orderId: string }).orderId}` },
    now: () => clock.now,
  };
  return { deps, stateTable, auditTable, mail, resumed, clock };
}

export const REFUND_CALL = {
  toolUseId: 'tu-1',
  name: 'refunds.issue',
  input: { orderId: 'A-1042', amount: 120, currency: 'USD', reason: 'beans arrived crushed' },
  reason: 'The customer sent photos of a crushed bag.',
};

export function refundRequest(over: Record<string, unknown> = {}) {
  return {
    taskToken: 'token-primary',
    runId: 'run-1',
    workflowId: 'support-desk',
    stepId: 'triage',
    agentId: 'triage',
    stage: 'primary',
    call: REFUND_CALL,
    approvers: ['sam'],
    quorum: 1,
    timeoutSeconds: 4 * 3600,
    ...over,
  };
}

/** The query parameters of the link in an email. */
export function linkOf(email: ApprovalEmail): { id: string; query: Record<string, string> } {
  const url = new URL(/https:\/\/aios\.example\/approvals\/\S+/.exec(email.text)![0]);
  return { id: decodeURIComponent(url.pathname.split('/').pop()!), query: Object.fromEntries(url.searchParams) };
}

/** The hidden form fields of a decision page. */
export function formOf(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) out[m[1]] = m[2];
  return out;
}
