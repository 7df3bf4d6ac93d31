/**
 * Delivers outbox messages to an SMTP server (AIOS_SMTP_URL, e.g.
 * smtp://127.0.0.1:2525, a MailHog or Mailpit on a laptop) with nodemailer.
 */
import { createTransport } from 'nodemailer';
import type { ComposedMessage } from './compose-message';

export interface SmtpResult {
  accepted: string[];
  rejected: string[];
  response: string;
}

/** The URL with any password masked, for logs and the delivery record. */
export function redactSmtpUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable SMTP URL)';
  }
}

/**
 * Sends one message as is (its own headers and envelope).
 * @throws the transport's error when the server is unreachable or refuses every recipient
 */
export async function deliverOverSmtp(smtpUrl: string, message: ComposedMessage): Promise<SmtpResult> {
  // A local relay on a laptop rarely has a certificate; STARTTLS stays opportunistic.
  const transport = createTransport({
    url: smtpUrl,
    tls: { rejectUnauthorized: false },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  try {
    const info = await transport.sendMail({ envelope: message.envelope, raw: message.mime });
    const list = (v: unknown) => (Array.isArray(v) ? v.map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address))) : []);
    return { accepted: list(info.accepted), rejected: list(info.rejected), response: String(info.response ?? '') };
  } finally {
    transport.close();
  }
}
