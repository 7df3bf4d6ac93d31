/**
 * Turns an accepted SendEmail request into an RFC 5322 message and its SMTP
 * envelope. Simple content is built with nodemailer's MailComposer (text and
 * HTML become multipart/alternative, attachments multipart/mixed); raw
 * content is sent as given, its recipients read from its headers when the
 * request names none (as SES does).
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import addressparser from 'nodemailer/lib/addressparser';
import { AwsServiceError } from '../server/aws-json-service';
import { checkAddresses, type SendEmailRequest } from './send-email-request';

export interface ComposedMessage {
  /** The message as delivered (no Bcc header). */
  mime: Buffer;
  envelope: { from: string; to: string[] };
  subject: string;
}

const MESSAGE_ID_DOMAIN = 'aios.local';

/** The bare addresses of address-list values ("Maya <maya@x>" → "maya@x"). */
function bareAddresses(values: readonly string[]): string[] {
  return values.flatMap((v) => addressparser(v, { flatten: true }).map((a) => a.address ?? '')).filter((a) => a.length > 0);
}

/** Unfolded header fields of a raw message, names lower-cased; repeated fields keep every value. */
export function headerFields(mime: Buffer): Map<string, string[]> {
  const text = mime.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const fields = new Map<string, string[]>();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    fields.set(name, [...(fields.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return fields;
}

function composeRaw(request: SendEmailRequest, mime: Buffer, messageId: string): ComposedMessage {
  const headers = headerFields(mime);
  const from = request.from ?? headers.get('from')?.[0];
  if (!from) throw new AwsServiceError('BadRequestException', 'Missing required parameter: FromEmailAddress (the raw message has no From header either)');
  checkAddresses('From', [from]);
  const d = request.destination;
  const named = [...d.to, ...d.cc, ...d.bcc];
  const to = named.length ? bareAddresses(named) : bareAddresses(['to', 'cc', 'bcc'].flatMap((h) => headers.get(h) ?? []));
  if (to.length === 0)
    throw new AwsServiceError('BadRequestException', 'Missing required parameter: Destination (and the raw message has no To, Cc or Bcc header)');
  // SES adds a Message-ID to raw messages that lack one; Bcc never leaves SES.
  let body = mime.toString('latin1');
  if (headers.has('bcc')) body = body.replace(/^Bcc:.*(\r?\n[ \t].*)*\r?\n/im, '');
  if (!headers.has('message-id')) body = `Message-ID: <${messageId}@${MESSAGE_ID_DOMAIN}>\r\n${body}`;
  return { mime: Buffer.from(body, 'latin1'), envelope: { from: bareAddresses([from])[0], to }, subject: headers.get('subject')?.[0] ?? '' };
}

async function composeSimple(request: SendEmailRequest, messageId: string, date: Date): Promise<ComposedMessage> {
  if (request.content.kind !== 'simple') throw new Error('not simple content');
  const c = request.content;
  const from = request.from!;
  const composer = new MailComposer({
    from,
    ...(request.destination.to.length ? { to: request.destination.to } : {}),
    ...(request.destination.cc.length ? { cc: request.destination.cc } : {}),
    ...(request.destination.bcc.length ? { bcc: request.destination.bcc } : {}),
    ...(request.replyTo.length ? { replyTo: request.replyTo } : {}),
    subject: c.subject,
    ...(c.text !== undefined ? { text: c.text } : {}),
    ...(c.html !== undefined ? { html: c.html } : {}),
    headers: c.headers.map((h) => ({ key: h.name, value: h.value })),
    attachments: c.attachments.map((a) => ({
      content: a.content,
      filename: a.fileName,
      ...(a.contentType ? { contentType: a.contentType } : {}),
      ...(a.disposition ? { contentDisposition: a.disposition } : {}),
      ...(a.contentId ? { cid: a.contentId.replace(/^<|>$/g, '') } : {}),
      ...(a.description ? { headers: { 'Content-Description': a.description } } : {}),
    })),
    messageId: `<${messageId}@${MESSAGE_ID_DOMAIN}>`,
    date,
    // Content never points at files or URLs here: the caller sent bytes.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = composer.compile();
  const envelope = node.getEnvelope();
  const mime = await node.build();
  return { mime, envelope: { from: envelope.from || bareAddresses([from])[0], to: envelope.to }, subject: c.subject };
}

/**
 * Builds the message SES would send for `request`.
 * @throws AwsServiceError BadRequestException when raw content lacks a sender or recipients
 */
export async function composeMessage(request: SendEmailRequest, messageId: string, date: Date = new Date()): Promise<ComposedMessage> {
  return request.content.kind === 'raw' ? composeRaw(request, request.content.mime, messageId) : composeSimple(request, messageId, date);
}
