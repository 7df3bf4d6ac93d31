import * as z from '../../mini-zod';
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
  // SES keeps no idempotency key: what is known is only whether an attempt got as far as sending.
  marksEffect: true,
  handler: async (input, ctx) => {
    const from = (ctx.config.from as string | undefined) ?? ctx.env.AIOS_EMAIL_FROM ?? 'aios@localhost';
    await ctx.beforeEffect();
    const out = await ctx.ports.sendEmail({
      from,
      to: input.to,
      subject: input.subject,
      text: input.body,
      tags: { 'aios-run': ctx.runId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) },
    });
    return { messageId: out.messageId, to: input.to };
  },
});
