/**
 * Configuration of a generic HMAC webhook source, for products without a
 * built-in verifier. Validated with zod (unknown keys rejected, so a typo
 * fails loudly instead of silently weakening verification).
 */
import * as z from '../../shared/mini-zod';

export const genericHmacConfigSchema = z.strictObject({
  /** POST /webhooks/<name>; events get source `saas.<name>`. */
  name: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and "-"')),
  /** Secret name for the secret provider; default `webhook-<name>`. */
  secretName: z.optional(z.string().check(z.minLength(1))),
  /** The header carrying the signature. */
  header: z._default(z.string().check(z.minLength(1)), 'x-webhook-signature'),
  algorithm: z._default(z.enum(['sha1', 'sha256', 'sha512']), 'sha256'),
  encoding: z._default(z.enum(['hex', 'base64']), 'hex'),
  /** Text before the digest in the header, e.g. `sha256=`. */
  prefix: z._default(z.string(), ''),
  timestamp: z.optional(
    z.strictObject({
      header: z.string().check(z.minLength(1)),
      format: z._default(z.enum(['seconds', 'milliseconds', 'iso']), 'seconds'),
      toleranceSeconds: z._default(z.int().check(z.positive(), z.maximum(86_400)), 300),
    }),
  ),
  /**
   * What is signed: `{body}`, `{timestamp}`, `{method}` and `{url}` are
   * replaced (the body byte-exact). Default `{timestamp}.{body}` with a
   * timestamp, `{body}` without.
   */
  signedPayload: z.optional(z.string().check(z.includes('{body}'))),
  /** Dot path in the payload for the event type (detail-type); else `eventTypeHeader`; else `webhook`. */
  eventTypeField: z._default(z.string().check(z.minLength(1)), 'type'),
  eventTypeHeader: z.optional(z.string().check(z.minLength(1))),
  /**
   * Dot path in the payload for the delivery id; else a digest of the body.
   * Only the signed body is trusted for dedupe: an id in a header is not
   * signed, and a replay could carry a fresh one.
   */
  deliveryIdField: z._default(z.string().check(z.minLength(1)), 'id'),
  deliveryIdHeader: z.optional(
    z.undefined({
      error: 'deliveryIdHeader is not supported: a header is not signed, so it cannot identify a delivery; use deliveryIdField (a field of the signed body)',
    }),
  ),
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
