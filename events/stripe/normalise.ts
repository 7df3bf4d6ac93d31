import type { NormaliseResult } from '../../shared/webhooks';
import { describeIssues } from '../payload';
import { STRIPE_TYPED_EVENTS, stripeEventSchema } from './schemas';

/** A Stripe event → one bus event: detail-type = the event type, delivery id = the event id. */
export function normaliseStripe(payload: unknown): NormaliseResult {
  const envelope = stripeEventSchema.safeParse(payload);
  if (!envelope.success) return { ok: false, message: `not a Stripe event: ${describeIssues(envelope.error)}` };
  const typed = STRIPE_TYPED_EVENTS[envelope.data.type];
  const parsed = typed ? typed.safeParse(payload) : envelope;
  if (!parsed.success) return { ok: false, message: `Stripe ${envelope.data.type} does not match its schema: ${describeIssues(parsed.error)}` };
  return {
    ok: true,
    events: [
      {
        detailType: envelope.data.type,
        detail: parsed.data as Record<string, unknown>,
        deliveryId: envelope.data.id,
        time: new Date(envelope.data.created * 1000),
      },
    ],
  };
}
