/**
 * The local SES v2 endpoint: a Hono app serving `SendEmail`
 * (`POST /v2/email/outbound-emails`, REST JSON) as @aws-sdk/client-sesv2
 * sends it. Each accepted message is written to `<dataDir>/outbox/` as an
 * `.eml` file and, when an SMTP URL is configured, also delivered over SMTP
 * after the answer (a failed delivery is logged and recorded in
 * `outbox/deliveries.jsonl`; the `.eml` stays). Errors carry
 * `x-amzn-errortype`, which the SDK maps to BadRequestException,
 * MessageRejected, NotFoundException …
 *
 * @example
 * const rest = new Hono();
 * rest.route('/', createSesApp({ dataDir: '.aios' }));   // SMTP from AIOS_SMTP_URL
 * // then: createAwsClients({ endpoint }).sesV2().send(new SendEmailCommand({...}))
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { AwsServiceError } from '../server/aws-json-service';
import { jsonOfRequest } from '../server/replayed-request';
import { composeMessage } from './compose-message';
import { recordDelivery, newMessageId, writeToOutbox, type DeliveryRecord } from './outbox';
import { MAX_MESSAGE_BYTES, parseSendEmailRequest } from './send-email-request';
import { deliverOverSmtp, redactSmtpUrl } from './smtp-delivery';

export interface SesAppOptions {
  /** Messages go to `<dataDir>/outbox/`. */
  dataDir: string;
  /** Also deliver over SMTP (e.g. `smtp://127.0.0.1:2525`). Default: AIOS_SMTP_URL; `null` turns delivery off. */
  smtpUrl?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Called after each SMTP delivery attempt, delivered or not (tests wait on it). */
  onDelivery?: (record: DeliveryRecord) => void;
  /** Where delivery failures are reported. Default: stderr. */
  log?: (line: string) => void;
}

/** The SMTP URL in effect: explicit option > AIOS_SMTP_URL > none. */
export function configuredSmtpUrl(options: Pick<SesAppOptions, 'smtpUrl' | 'env'>): string | undefined {
  if (options.smtpUrl === null) return undefined;
  return options.smtpUrl || (options.env ?? process.env).AIOS_SMTP_URL || undefined;
}

function errorResponse(c: Context, error: AwsServiceError): Response {
  return c.json({ message: error.message }, error.status as 400, { 'x-amzn-errortype': error.type, 'x-amzn-requestid': randomUUID() });
}

async function readJson(c: Context): Promise<unknown> {
  try {
    return await jsonOfRequest(c.env, c.req);
  } catch (error) {
    throw new AwsServiceError('BadRequestException', `request body is not JSON: ${(error as Error).message}`);
  }
}

/** Builds the SES v2 sub-app; mount it at the root (its routes start with `/v2/email/`). */
export function createSesApp(options: SesAppOptions): Hono {
  const app = new Hono();
  const smtpUrl = configuredSmtpUrl(options);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  async function deliver(messageId: string, file: string, message: Awaited<ReturnType<typeof composeMessage>>): Promise<void> {
    const where = redactSmtpUrl(smtpUrl!);
    let record: DeliveryRecord;
    try {
      const result = await deliverOverSmtp(smtpUrl!, message);
      record = { messageId, file, at: new Date().toISOString(), status: 'delivered', smtp: where, ...result };
    } catch (error) {
      record = { messageId, file, at: new Date().toISOString(), status: 'failed', smtp: where, error: (error as Error).message ?? String(error) };
      log(`ses: SMTP delivery of ${messageId} to ${where} failed: ${record.error} (the message stays in ${file})`);
    }
    await recordDelivery(options.dataDir, record).catch((error: unknown) =>
      log(`ses: could not record the delivery of ${messageId}: ${(error as Error).message}`),
    );
    options.onDelivery?.(record);
  }

  app.post('/v2/email/outbound-emails', async (c) => {
    try {
      const request = parseSendEmailRequest(await readJson(c));
      const at = new Date();
      const messageId = newMessageId(at);
      const message = await composeMessage(request, messageId, at);
      if (message.mime.length > MAX_MESSAGE_BYTES) {
        throw new AwsServiceError('MessageRejected', `Message length is more than ${MAX_MESSAGE_BYTES} bytes long: ${message.mime.length}`);
      }
      const file = await writeToOutbox(options.dataDir, {
        messageId,
        at,
        message,
        tags: request.tags,
        ...(request.configurationSet ? { configurationSet: request.configurationSet } : {}),
      });
      // SES answers once it has accepted the message; delivery happens afterwards.
      if (smtpUrl) void deliver(messageId, file, message);
      return c.json({ MessageId: messageId }, 200, { 'x-amzn-requestid': randomUUID() });
    } catch (error) {
      if (error instanceof AwsServiceError) return errorResponse(c, error);
      return errorResponse(c, new AwsServiceError('InternalServiceErrorException', (error as Error).message ?? String(error), 500));
    }
  });

  app.all('/v2/email/*', (c) =>
    errorResponse(c, new AwsServiceError('BadRequestException', `the local SES v2 serves SendEmail only, not ${c.req.method} ${c.req.path}`)),
  );
  return app;
}
