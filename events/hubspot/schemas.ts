/**
 * HubSpot webhook payloads (https://developers.hubspot.com/docs/api/webhooks):
 * a JSON array of up to 100 events, each `{ eventId, subscriptionId, portalId,
 * appId, occurredAt (ms), subscriptionType, attemptNumber, objectId, … }`.
 */
import * as z from '../../shared/mini-zod';

export const hubspotEventSchema = z.looseObject({
  eventId: z.int(),
  subscriptionId: z.int(),
  portalId: z.int(),
  appId: z.optional(z.int()),
  occurredAt: z.int(),
  subscriptionType: z.string().check(z.minLength(1)),
  attemptNumber: z.optional(z.int()),
  objectId: z.optional(z.int()),
  changeSource: z.optional(z.string()),
  changeFlag: z.optional(z.string()),
  propertyName: z.optional(z.string()),
  propertyValue: z.optional(z.string()),
});
export type HubSpotEvent = z.infer<typeof hubspotEventSchema>;

export const HUBSPOT_CONTACT_CREATION = 'contact.creation';

export const hubspotContactCreationSchema = z.extend(hubspotEventSchema, {
  subscriptionType: z.literal(HUBSPOT_CONTACT_CREATION),
  objectId: z.int(),
  changeFlag: z.optional(z.literal('NEW')),
});
export type HubSpotContactCreation = z.infer<typeof hubspotContactCreationSchema>;

export const hubspotBatchSchema = z.array(z.unknown()).check(z.minLength(1), z.maxLength(100));

export const HUBSPOT_TYPED_EVENTS: Record<string, z.ZodMiniType<Record<string, unknown>>> = {
  [HUBSPOT_CONTACT_CREATION]: hubspotContactCreationSchema,
};
