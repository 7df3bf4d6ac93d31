/**
 * HubSpot webhook payloads (https://developers.hubspot.com/docs/api/webhooks):
 * a JSON array of up to 100 events, each `{ eventId, subscriptionId, portalId,
 * appId, occurredAt (ms), subscriptionType, attemptNumber, objectId, … }`.
 */
import * as z from 'zod';

export const hubspotEventSchema = z.looseObject({
  eventId: z.number().int(),
  subscriptionId: z.number().int(),
  portalId: z.number().int(),
  appId: z.number().int().optional(),
  occurredAt: z.number().int(),
  subscriptionType: z.string().min(1),
  attemptNumber: z.number().int().optional(),
  objectId: z.number().int().optional(),
  changeSource: z.string().optional(),
  changeFlag: z.string().optional(),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
});
export type HubSpotEvent = z.infer<typeof hubspotEventSchema>;

export const HUBSPOT_CONTACT_CREATION = 'contact.creation';

export const hubspotContactCreationSchema = hubspotEventSchema.extend({
  subscriptionType: z.literal(HUBSPOT_CONTACT_CREATION),
  objectId: z.number().int(),
  changeFlag: z.literal('NEW').optional(),
});
export type HubSpotContactCreation = z.infer<typeof hubspotContactCreationSchema>;

export const hubspotBatchSchema = z.array(z.unknown()).min(1).max(100);

export const HUBSPOT_TYPED_EVENTS: Record<string, z.ZodType<Record<string, unknown>>> = {
  [HUBSPOT_CONTACT_CREATION]: hubspotContactCreationSchema,
};
