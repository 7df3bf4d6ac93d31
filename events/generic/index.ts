/** A configurable HMAC webhook source (header, algorithm, encoding, optional timestamp and how it is combined). */
import { AiosError } from '../../shared/errors';
import {
  anyMatches,
  hmac,
  parseEpoch,
  parseIso,
  withinWindow,
  type NormaliseResult,
  type VerifyResult,
  type WebhookRequest,
  type WebhookSource,
} from '../../shared/webhooks';
import { describeIssues, header, isRecord } from '../payload';
import { type SimulatedDelivery, type WebhookSigner } from '../signer';
import { genericHmacConfigSchema, type GenericHmacConfig, type GenericHmacConfigInput } from './config';

export * from './config';

export class InvalidWebhookConfigError extends AiosError {
  constructor(message: string) {
    super('Webhook.InvalidConfig', message);
  }
}

/** Validates a config (throws `Webhook.InvalidConfig` naming the bad field). */
export function parseGenericHmacConfig(input: unknown): GenericHmacConfig {
  const parsed = genericHmacConfigSchema.safeParse(input);
  if (!parsed.success) throw new InvalidWebhookConfigError(`invalid generic webhook config: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function template(config: GenericHmacConfig): string {
  return config.signedPayload ?? (config.timestamp ? '{timestamp}.{body}' : '{body}');
}

/** The signed bytes: the template with its placeholders filled, the body byte-exact. */
function signedParts(config: GenericHmacConfig, values: { body: Buffer; timestamp: string; method: string; url: string }): (Buffer | string)[] {
  return template(config)
    .split(/(\{body\}|\{timestamp\}|\{method\}|\{url\})/)
    .filter((p) => p !== '')
    .map((p) =>
      p === '{body}' ? values.body : p === '{timestamp}' ? values.timestamp : p === '{method}' ? values.method.toUpperCase() : p === '{url}' ? values.url : p,
    );
}

function timestampMs(config: GenericHmacConfig, text: string): number {
  const format = config.timestamp?.format ?? 'seconds';
  return format === 'iso' ? parseIso(text) : parseEpoch(text, format);
}

function pathValue(payload: unknown, path: string): unknown {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (!isRecord(value) || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

export function createGenericHmacSource(input: GenericHmacConfigInput): WebhookSource & WebhookSigner {
  const config = parseGenericHmacConfig(input);

  function verify(request: WebhookRequest, secrets: readonly string[], now: Date): VerifyResult {
    const signature = header(request.headers, config.header);
    if (!signature) return { ok: false, reason: 'missing_signature', message: `no ${config.header} header` };
    let timestamp = '';
    if (config.timestamp) {
      const value = header(request.headers, config.timestamp.header);
      if (!value) return { ok: false, reason: 'missing_signature', message: `no ${config.timestamp.header} header` };
      timestamp = value;
    }
    const parts = signedParts(config, { body: request.body, timestamp, method: request.method, url: request.url });
    const expected = secrets.map((s) => `${config.prefix}${hmac(config.algorithm, s, parts, config.encoding)}`);
    if (!anyMatches(expected, [signature.trim()])) return { ok: false, reason: 'bad_signature', message: `${config.header} does not match the payload` };
    if (config.timestamp && !withinWindow(timestampMs(config, timestamp), now, config.timestamp.toleranceSeconds)) {
      return { ok: false, reason: 'expired', message: `timestamp ${timestamp.slice(0, 40)} is outside the ${config.timestamp.toleranceSeconds} s window` };
    }
    return { ok: true };
  }

  function normalise(payload: unknown, request: WebhookRequest): NormaliseResult {
    if (!isRecord(payload) && !Array.isArray(payload)) return { ok: false, message: 'the payload is not a JSON object or array' };
    const field = pathValue(payload, config.eventTypeField);
    const fromHeader = config.eventTypeHeader ? header(request.headers, config.eventTypeHeader) : undefined;
    const detailType = (typeof field === 'string' && field) || fromHeader || 'webhook';
    const idField = pathValue(payload, config.deliveryIdField);
    const deliveryId = typeof idField === 'string' || typeof idField === 'number' ? String(idField) : undefined;
    return { ok: true, events: [{ detailType: detailType.slice(0, 128), detail: isRecord(payload) ? payload : { items: payload }, deliveryId }] };
  }

  function sign(delivery: SimulatedDelivery): Record<string, string> {
    const timestamp = config.timestamp
      ? config.timestamp.format === 'iso'
        ? delivery.now.toISOString()
        : String(config.timestamp.format === 'seconds' ? Math.floor(delivery.now.getTime() / 1000) : delivery.now.getTime())
      : '';
    const parts = signedParts(config, { body: delivery.body, timestamp, method: delivery.method ?? 'POST', url: delivery.url });
    return {
      'content-type': 'application/json',
      [config.header.toLowerCase()]: `${config.prefix}${hmac(config.algorithm, delivery.secret, parts, config.encoding)}`,
      ...(config.timestamp ? { [config.timestamp.header.toLowerCase()]: timestamp } : {}),
      ...(config.eventTypeHeader && delivery.eventType ? { [config.eventTypeHeader.toLowerCase()]: delivery.eventType } : {}),
    };
  }

  return {
    name: config.name,
    eventSource: `saas.${config.name}`,
    secretName: config.secretName ?? `webhook-${config.name}`,
    verify,
    normalise,
    sign,
  };
}

/**
 * Generic sources from the env var AIOS_WEBHOOK_GENERIC_SOURCES (a JSON array
 * of generic HMAC configs), read when the registry is built.
 */
export function genericConfigsFromEnv(env: NodeJS.ProcessEnv = process.env): GenericHmacConfigInput[] {
  const text = env.AIOS_WEBHOOK_GENERIC_SOURCES;
  if (!text) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AiosError('Webhook.InvalidConfig', 'AIOS_WEBHOOK_GENERIC_SOURCES is not valid JSON');
  }
  if (!Array.isArray(value)) throw new AiosError('Webhook.InvalidConfig', 'AIOS_WEBHOOK_GENERIC_SOURCES must be a JSON array of generic source configs');
  return value.map((v) => parseGenericHmacConfig(v));
}
