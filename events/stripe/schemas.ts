/**
 * Stripe event payloads (https://docs.stripe.com/api/events/object). Loose
 * objects: Stripe adds fields without notice; we type what the example uses.
 */
import * as z from '../../shared/mini-zod';

export const stripeEventSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  object: z.literal('event'),
  type: z.string().check(z.minLength(1)),
  created: z.int(),
  livemode: z.boolean(),
  api_version: z.optional(z.nullable(z.string())),
  data: z.looseObject({ object: z.looseObject({}) }),
});
export type StripeEvent = z.infer<typeof stripeEventSchema>;

/** https://docs.stripe.com/api/disputes/object */
export const stripeDisputeSchema = z.looseObject({
  id: z.string().check(z.startsWith('dp_')),
  object: z.literal('dispute'),
  amount: z.int().check(z.nonnegative()),
  currency: z.string().check(z.length(3)),
  charge: z.string(),
  payment_intent: z.optional(z.nullable(z.string())),
  reason: z.string(),
  status: z.string(),
  created: z.int(),
  livemode: z.boolean(),
  is_charge_refundable: z.optional(z.boolean()),
  evidence_details: z.optional(z.looseObject({ due_by: z.nullable(z.int()), has_evidence: z.boolean(), past_due: z.boolean(), submission_count: z.int() })),
  metadata: z.optional(z.record(z.string(), z.string())),
});

export const stripeChargeDisputeCreatedSchema = z.extend(stripeEventSchema, {
  type: z.literal('charge.dispute.created'),
  data: z.looseObject({ object: stripeDisputeSchema }),
});
export type StripeChargeDisputeCreated = z.infer<typeof stripeChargeDisputeCreatedSchema>;

/** Typed Stripe event types; others pass through as `stripeEventSchema`. */
export const STRIPE_TYPED_EVENTS: Record<string, z.ZodMiniType<Record<string, unknown>>> = {
  'charge.dispute.created': stripeChargeDisputeCreatedSchema,
};
