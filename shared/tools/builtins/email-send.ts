import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import * as z from '../../mini-zod';
import { sesV2Client } from '../../aws/sesv2';
import { defineTool } from '../../definition/tool';

/** Sends an email through SES v2 from the configured sender (config.from or AIOS_EMAIL_FROM). */
export const emailSend = defineTool({
  id: 'email.send',
  description: 'Send an email to one recipient. Write the full subject and plain-text body; it is sent exactly as given.',
  input: z.strictObject({
    to: z.email(),
    subject: z.string().check(z.minLength(1), z.maxLength(200)),
    body: z.string().check(z.minLength(1), z.maxLength(20_000)),
  }),
  sideEffect: 'external',
  idempotent: false,
  handler: async (input, ctx) => {
    const from = (ctx.config.from as string | undefined) ?? ctx.env.AIOS_EMAIL_FROM ?? 'aios@localhost';
    const out = await sesV2Client({}, ctx.env).send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [input.to] },
        Content: { Simple: { Subject: { Data: input.subject, Charset: 'UTF-8' }, Body: { Text: { Data: input.body, Charset: 'UTF-8' } } } },
        EmailTags: [{ Name: 'aios-run', Value: ctx.runId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) }],
      }),
    );
    return { messageId: out.MessageId, to: input.to };
  },
});
