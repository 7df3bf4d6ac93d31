/**
 * Email through SES v2 for an environment: approval emails (from
 * AIOS_EMAIL_FROM, a verified SES identity on AWS) and the `email.send` tool.
 */
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../approvals/approval-service';
import { sesV2Client } from '../aws/sesv2';
import type { AiosEnvironment } from './environment';

export interface OutgoingEmail {
  /** Default: the environment's sender. */
  from?: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  tags?: Record<string, string>;
}

/** Sends one email; answers SES's message id. */
export type SendEmail = (email: OutgoingEmail) => Promise<{ messageId?: string }>;

export function sendEmail(env: AiosEnvironment): SendEmail {
  return async (email) => {
    const out = await sesV2Client({}, env.vars).send(
      new SendEmailCommand({
        FromEmailAddress: email.from ?? env.emailFrom,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: email.text, Charset: 'UTF-8' }, ...(email.html !== undefined ? { Html: { Data: email.html, Charset: 'UTF-8' } } : {}) },
          },
        },
        ...(email.tags ? { EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })) } : {}),
      }),
    );
    return out.MessageId ? { messageId: out.MessageId } : {};
  };
}

/** The approval service's mailer. */
export function mailer(env: AiosEnvironment): Mailer {
  const send = sendEmail(env);
  return {
    async send(email) {
      await send(email);
    },
  };
}
