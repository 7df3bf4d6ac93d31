/**
 * The SES v2 `SendEmail` request as @aws-sdk/client-sesv2 serialises it
 * (REST JSON body of `POST /v2/email/outbound-emails`), validated the way
 * SES answers: a `BadRequestException` naming the bad field, a
 * `MessageRejected` for what SES refuses to send, a `NotFoundException` for
 * a template that does not exist (the local SES stores none).
 */
import addressparser from 'nodemailer/lib/addressparser';
import * as z from 'zod';
import { AwsServiceError } from '../server/aws-json-service';

/** SES v2 caps one message at 50 recipients (To + Cc + Bcc). */
export const MAX_RECIPIENTS = 50;
/** SES v2 accepts messages up to 40 MB (after base64 decoding of raw content). */
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

const content = z.object({ Data: z.string(), Charset: z.string().optional() });
const addresses = z.array(z.string()).optional();

const requestSchema = z.object({
  FromEmailAddress: z.string().optional(),
  FromEmailAddressIdentityArn: z.string().optional(),
  Destination: z.object({ ToAddresses: addresses, CcAddresses: addresses, BccAddresses: addresses }).optional(),
  ReplyToAddresses: addresses,
  FeedbackForwardingEmailAddress: z.string().optional(),
  Content: z
    .object({
      Simple: z
        .object({
          Subject: content,
          Body: z.object({ Text: content.optional(), Html: content.optional() }),
          Headers: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
          Attachments: z
            .array(
              z.object({
                RawContent: z.string(),
                FileName: z.string(),
                ContentDisposition: z.string().optional(),
                ContentDescription: z.string().optional(),
                ContentId: z.string().optional(),
                ContentTransferEncoding: z.string().optional(),
                ContentType: z.string().optional(),
              }),
            )
            .optional(),
        })
        .optional(),
      Raw: z.object({ Data: z.string() }).optional(),
      Template: z.object({ TemplateName: z.string().optional(), TemplateArn: z.string().optional() }).loose().optional(),
    })
    .optional(),
  EmailTags: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
  ConfigurationSetName: z.string().optional(),
});

type RawRequest = z.infer<typeof requestSchema>;

export interface Recipients {
  to: string[];
  cc: string[];
  bcc: string[];
}

export interface SimpleContent {
  kind: 'simple';
  subject: string;
  text?: string;
  html?: string;
  headers: { name: string; value: string }[];
  attachments: { content: Buffer; fileName: string; contentType?: string; disposition?: string; contentId?: string; description?: string }[];
}

export interface RawContent {
  kind: 'raw';
  /** The message exactly as the caller built it. */
  mime: Buffer;
}

/** A SendEmail request that SES would accept. */
export interface SendEmailRequest {
  from?: string;
  /** Empty for raw content, whose recipients then come from its headers. */
  destination: Recipients;
  replyTo: string[];
  content: SimpleContent | RawContent;
  tags: { name: string; value: string }[];
  configurationSet?: string;
}

const badRequest = (message: string) => new AwsServiceError('BadRequestException', message, 400);

/** Throws BadRequestException unless every entry is one mailbox with an `@` (display names allowed). */
export function checkAddresses(field: string, values: readonly string[]): void {
  for (const value of values) {
    const parsed = addressparser(value, { flatten: true });
    if (parsed.length !== 1 || !/^[^@\s]+@[^@\s]+$/.test(parsed[0].address ?? '')) {
      throw badRequest(`Illegal address in ${field}: "${value}"`);
    }
  }
}

function decodeBase64(field: string, data: string): Buffer {
  // SES rejects what is not base64; Buffer.from would silently drop bad characters.
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/.test(data)) throw badRequest(`${field} is not valid base64`);
  return Buffer.from(data, 'base64');
}

function recipientCount(d: Recipients): number {
  return d.to.length + d.cc.length + d.bcc.length;
}

function simpleContent(simple: NonNullable<NonNullable<RawRequest['Content']>['Simple']>): SimpleContent {
  const text = simple.Body.Text?.Data;
  const html = simple.Body.Html?.Data;
  if (text === undefined && html === undefined) throw badRequest('Content.Simple.Body needs Text, Html or both');
  return {
    kind: 'simple',
    subject: simple.Subject.Data,
    ...(text !== undefined ? { text } : {}),
    ...(html !== undefined ? { html } : {}),
    headers: (simple.Headers ?? []).map((h) => ({ name: h.Name, value: h.Value })),
    attachments: (simple.Attachments ?? []).map((a, i) => ({
      content: decodeBase64(`Content.Simple.Attachments[${i}].RawContent`, a.RawContent),
      fileName: a.FileName,
      ...(a.ContentType ? { contentType: a.ContentType } : {}),
      ...(a.ContentDisposition ? { disposition: a.ContentDisposition.toLowerCase() } : {}),
      ...(a.ContentId ? { contentId: a.ContentId } : {}),
      ...(a.ContentDescription ? { description: a.ContentDescription } : {}),
    })),
  };
}

/**
 * Validates a parsed JSON body.
 * @throws AwsServiceError BadRequestException, MessageRejected or NotFoundException
 */
export function parseSendEmailRequest(body: unknown): SendEmailRequest {
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`Invalid value at '${issue.path.join('.')}': ${issue.message}`);
  }
  const r = parsed.data;
  const c = r.Content;
  if (!c || (!c.Simple && !c.Raw && !c.Template)) throw badRequest('Content is required: one of Simple, Raw or Template');
  if ([c.Simple, c.Raw, c.Template].filter(Boolean).length > 1) throw badRequest('Content must contain exactly one of Simple, Raw or Template');
  if (c.Template) {
    throw new AwsServiceError(
      'NotFoundException',
      `Template ${c.Template.TemplateName ?? c.Template.TemplateArn ?? ''} does not exist (the local SES stores no templates; send Simple or Raw content)`,
      404,
    );
  }
  const destination: Recipients = {
    to: r.Destination?.ToAddresses ?? [],
    cc: r.Destination?.CcAddresses ?? [],
    bcc: r.Destination?.BccAddresses ?? [],
  };
  checkAddresses('Destination.ToAddresses', destination.to);
  checkAddresses('Destination.CcAddresses', destination.cc);
  checkAddresses('Destination.BccAddresses', destination.bcc);
  checkAddresses('ReplyToAddresses', r.ReplyToAddresses ?? []);
  if (r.FromEmailAddress !== undefined) checkAddresses('FromEmailAddress', [r.FromEmailAddress]);
  if (recipientCount(destination) > MAX_RECIPIENTS) {
    throw new AwsServiceError('MessageRejected', `Recipient count exceeds ${MAX_RECIPIENTS} (got ${recipientCount(destination)})`, 400);
  }

  let content: SimpleContent | RawContent;
  if (c.Simple) {
    if (recipientCount(destination) === 0) throw badRequest('Missing required parameter: Destination (at least one To, Cc or Bcc address)');
    if (r.FromEmailAddress === undefined) throw badRequest('Missing required parameter: FromEmailAddress');
    content = simpleContent(c.Simple);
  } else {
    const mime = decodeBase64('Content.Raw.Data', c.Raw!.Data);
    if (mime.length === 0) throw badRequest('Content.Raw.Data is empty');
    content = { kind: 'raw', mime };
  }
  return {
    ...(r.FromEmailAddress !== undefined ? { from: r.FromEmailAddress } : {}),
    destination,
    replyTo: r.ReplyToAddresses ?? [],
    content,
    tags: (r.EmailTags ?? []).map((t) => ({ name: t.Name, value: t.Value })),
    ...(r.ConfigurationSetName ? { configurationSet: r.ConfigurationSetName } : {}),
  };
}
