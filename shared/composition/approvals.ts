/**
 * The approval service of an environment: the `state` and `audit` tables,
 * Step Functions to resume the waiting run, SES v2 for the emails and the
 * link key from the environment's secrets. The approval functions, the
 * console, the local runtime's reconciler and the CLI take it from here.
 */
import type { ApprovalDeps, ApprovalPerson, ApprovalRequestDeps } from '../approvals/approval-service';
import { ApprovalStore } from '../approvals/approval-store';
import type { SigningKeyPort } from '../approvals/signed-link';
import { clock } from './clock';
import type { AiosEnvironment } from './environment';
import { mailer } from './mailer';
import { secretProvider } from './secrets';
import { auditWriter, stateTable, tableNameOf } from './tables';
import { dynamoDbClient } from '../aws/dynamodb';
import { dynamoDbItemsWriter } from '../storage/items-writer';
import { taskNotifier } from './task-notifier';

/** Name of the secret that signs approval links. */
export const APPROVAL_LINK_KEY = 'approval-link-key';

/** The link key from the environment's secrets (generated locally on first use). */
export function linkSigningKey(env: AiosEnvironment): SigningKeyPort {
  return () => secretProvider(env).getSecret(APPROVAL_LINK_KEY, { generateIfMissing: true });
}

/** What of the definition approvals read: people, tools' sentences for people, rules' descriptions. */
export interface ApprovalDefinition {
  people: readonly ApprovalPerson[];
  tools?: readonly { id: string; describe?: (input: never) => string }[];
  rules?: readonly { id: string; description?: string }[];
}

/** The approval service for deciding, viewing and expiring (no email: the functions that only decide may not send any). */
export function approvalDeps(env: AiosEnvironment, definition: ApprovalDefinition, overrides: Partial<ApprovalDeps> = {}): ApprovalDeps {
  return {
    store: new ApprovalStore(stateTable(env)),
    audit: auditWriter(env),
    signingKey: linkSigningKey(env),
    notifier: taskNotifier(env),
    people: definition.people,
    publicUrl: env.publicUrl,
    ruleDescriptions: Object.fromEntries((definition.rules ?? []).flatMap((r) => (r.description ? [[r.id, r.description]] : []))),
    toolDescribers: Object.fromEntries((definition.tools ?? []).flatMap((t) => (t.describe ? [[t.id, t.describe as (input: unknown) => string]] : []))),
    // AIOS_CLOCK (local only) moves approval deadlines with the rights' windows and limits.
    now: clock(env),
    ...overrides,
  };
}

/**
 * The approval service for asking: it also emails the approvers through SES, and lists a new approval (its index
 * entries) in one BatchWriteItem, where three puts cost three round trips.
 */
export function approvalRequestDeps(env: AiosEnvironment, definition: ApprovalDefinition): ApprovalRequestDeps {
  const store = new ApprovalStore(stateTable(env), dynamoDbItemsWriter(dynamoDbClient({}, env.vars), tableNameOf(env, 'state')));
  return { ...approvalDeps(env, definition, { store }), mailer: mailer(env) };
}
