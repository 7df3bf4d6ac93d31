/**
 * Configuration of a generic HMAC webhook source, for products without a
 * built-in verifier. Validated with zod (unknown keys rejected, so a typo
 * fails loudly instead of silently weakening verification).
 */
import { z } from 'zod';

export const genericHmacConfigSchema = z.strictObject({
  /** POST /webhooks/<name>; events get source `saas.<name>`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and "-"'),
  /** Secret name for the secret provider; default `webhook-<name>`. */
  secretName: z.string().min(1).optional(),
  /** The header carrying the signature. */
  header: z.string().min(1).default('x-webhook-signature'),
  algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'),
  encoding: z.enum(['hex', 'base64']).default('hex'),
  /** Text before the digest in the header, e.g. `sha256=`. */
  prefix: z.string().default(''),
  timestamp: z
    .strictObject({
      header: z.string().min(1),
      format: z.enum(['seconds', 'milliseconds', 'iso']).default('seconds'),
      toleranceSeconds: z.number().int().positive().max(86_400).default(300),
    })
    .optional(),
  /**
   * What is signed: `{body}`, `{timestamp}`, `{method}` and `{url}` are
   * replaced (the body byte-exact). Default `{timestamp}.{body}` with a
   * timestamp, `{body}` without.
   */
  signedPayload: z.string().includes('{body}').optional(),
  /** Dot path in the payload for the event type (detail-type); else `eventTypeHeader`; else `webhook`. */
  eventTypeField: z.string().min(1).default('type'),
  eventTypeHeader: z.string().min(1).optional(),
  /**
   * Dot path in the payload for the delivery id; else a digest of the body.
   * Only the signed body is trusted for dedupe: an id in a header is not
   * signed, and a replay could carry a fresh one.
   */
  deliveryIdField: z.string().min(1).default('id'),
  deliveryIdHeader: z.undefined({ error: 'deliveryIdHeader is not supported: a header is not signed, so it cannot identify a delivery; use deliveryIdField (a field of the signed body)' }).optional(),
});

export type GenericHmacConfigInput = z.input<typeof genericHmacConfigSchema>;
export type GenericHmacConfig = z.output<typeof genericHmacConfigSchema>;

/** The built-in `generic` source: `X-Webhook-Signature: sha256=<hex HMAC of "{timestamp}.{body}">`, `X-Webhook-Timestamp` in seconds. */
export const DEFAULT_GENERIC_CONFIG: GenericHmacConfigInput = {
  name: 'generic',
  header: 'x-webhook-signature',
  algorithm: 'sha256',
  encoding: 'hex',
  prefix: 'sha256=',
  timestamp: { header: 'x-webhook-timestamp', format: 'seconds' },
};
