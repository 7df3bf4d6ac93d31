/**
 * The approval service wired to the real ports: the `state` and `audit`
 * tables, Step Functions SendTaskSuccess and SES v2 SendEmail through the
 * client factory, the signing key from shared/secrets (Secrets Manager on
 * AWS, a file generated once under AIOS_DATA_DIR locally). One composition
 * root for the Lambdas, the local runtime and the CLI.
 */
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SendTaskHeartbeatCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { AuditLog } from '../audit/audit-log';
import { sesV2Client } from '../aws/sesv2';
import { sfnClient } from '../aws/sfn';
import { clockFromEnv } from '../clock/local-clock';
import { getSecret } from '../secrets';
import { openTable } from '../tables';
import { ApprovalStore } from './approval-store';
import type { ApprovalDeps, ApprovalPerson, Mailer, TaskNotifier } from './approval-service';
import type { SigningKeyPort } from './signed-link';
import { isTaskGone } from './decision-effects';

/** Name of the secret that signs approval links. */
export const APPROVAL_LINK_KEY = 'approval-link-key';

/** The link key: shared/secrets, generated locally on first use. */
export const secretSigningKey: SigningKeyPort = () => getSecret(APPROVAL_LINK_KEY, { generateIfMissing: true });

export const sfnTaskNotifier: TaskNotifier = {
  async sendTaskSuccess(taskToken, output) {
    await sfnClient().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  },
  async isWaiting(taskToken) {
    // A heartbeat changes nothing for a task without HeartbeatSeconds, and fails once no task waits.
    try {
      await sfnClient().send(new SendTaskHeartbeatCommand({ taskToken }));
      return true;
    } catch (error) {
      if (isTaskGone(error)) return false;
      throw error;
    }
  },
};

/** SES v2 mailer; the sender is AIOS_EMAIL_FROM (a verified SES identity on AWS). */
export function sesMailer(env: NodeJS.ProcessEnv = process.env): Mailer {
  return {
    async send(email) {
      await sesV2Client().send(
          new SendEmailCommand({
            FromEmailAddress: env.AIOS_EMAIL_FROM ?? 'AIOS <aios@localhost>',
            Destination: { ToAddresses: [email.to] },
            Content: {
              Simple: {
                Subject: { Data: email.subject, Charset: 'UTF-8' },
                Body: { Text: { Data: email.text, Charset: 'UTF-8' }, Html: { Data: email.html, Charset: 'UTF-8' } },
              },
            },
          }),
        );
    },
  };
}

/** Base URL of the approval pages: AIOS_PUBLIC_URL, else the local runtime on AIOS_PORT (default 4566). */
export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.AIOS_PUBLIC_URL ?? `http://127.0.0.1:${env.AIOS_PORT ?? 4566}`;
}

/** What the approval service reads of the definition: who approves, what each rule and tool call reads as. */
export interface ApprovalDefinition {
  people: readonly ApprovalPerson[];
  tools?: readonly { id: string; describe?: (input: never) => string }[];
  rules?: readonly { id: string; description?: string }[];
}

/** The approval service on real tables and AWS (or local runtime) APIs. */
export function runtimeApprovalDeps(definition: ApprovalDefinition, overrides: Partial<ApprovalDeps> = {}): ApprovalDeps {
  return {
    store: new ApprovalStore(openTable('state')),
    audit: new AuditLog(openTable('audit')),
    signingKey: secretSigningKey,
    notifier: sfnTaskNotifier,
    mailer: sesMailer(),
    people: definition.people,
    publicUrl: publicUrl(),
    ruleDescriptions: Object.fromEntries((definition.rules ?? []).flatMap((r) => (r.description ? [[r.id, r.description]] : []))),
    toolDescribers: Object.fromEntries((definition.tools ?? []).flatMap((t) => (t.describe ? [[t.id, t.describe as (input: unknown) => string]] : []))),
    // AIOS_CLOCK (local only) moves approval deadlines with the rights' windows and limits.
    now: clockFromEnv(),
    ...overrides,
  };
}
