/** Event schemas, SaaS webhook verifiers and normalisers, and AIOS's own events. */
export { webhookSources, webhookVendors, genericConfigsFromEnv } from './sources';
export type { WebhookVendor } from './sources';
export type { WebhookSigner, SimulatedDelivery } from './signer';
export * from './aios';
export { stripeChargeDisputeCreatedSchema, stripeEventSchema } from './stripe';
export { zendeskTicketCreatedSchema, zendeskEventSchema, ZENDESK_TICKET_CREATED } from './zendesk';
export { hubspotContactCreationSchema, hubspotEventSchema, HUBSPOT_CONTACT_CREATION } from './hubspot';
export { createGenericHmacSource, parseGenericHmacConfig } from './generic';
