/**
 * Stripe event payloads (https://docs.stripe.com/api/events/object). Loose
 * objects: Stripe adds fields without notice; we type what the example uses.
 */
import * as z from 'zod';

export const stripeEventSchema = z.looseObject({
  id: z.string().min(1),
  object: z.literal('event'),
  type: z.string().min(1),
  created: z.number().int(),
  livemode: z.boolean(),
  api_version: z.string().nullable().optional(),
  data: z.looseObject({ object: z.looseObject({}) }),
});
export type StripeEvent = z.infer<typeof stripeEventSchema>;

/** https://docs.stripe.com/api/disputes/object */
export const stripeDisputeSchema = z.looseObject({
  id: z.string().startsWith('dp_'),
  object: z.literal('dispute'),
  amount: z.number().int().nonnegative(),
  currency: z.string().length(3),
  charge: z.string(),
  payment_intent: z.string().nullable().optional(),
  reason: z.string(),
  status: z.string(),
  created: z.number().int(),
  livemode: z.boolean(),
  is_charge_refundable: z.boolean().optional(),
  evidence_details: z.looseObject({ due_by: z.number().int().nullable(), has_evidence: z.boolean(), past_due: z.boolean(), submission_count: z.number().int() }).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});

export const stripeChargeDisputeCreatedSchema = stripeEventSchema.extend({
  type: z.literal('charge.dispute.created'),
  data: z.looseObject({ object: stripeDisputeSchema }),
});
export type StripeChargeDisputeCreated = z.infer<typeof stripeChargeDisputeCreatedSchema>;

/** Typed Stripe event types; others pass through as `stripeEventSchema`. */
export const STRIPE_TYPED_EVENTS: Record<string, z.ZodType<Record<string, unknown>>> = {
  'charge.dispute.created': stripeChargeDisputeCreatedSchema,
};
