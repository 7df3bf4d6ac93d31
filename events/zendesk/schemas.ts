/**
 * Zendesk event webhooks (https://developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/):
 * `{ type: "zen:event-type:…", account_id, id, time, zendesk_event_version, subject, detail, event }`.
 * Ticket ids and other ids in `detail` are strings.
 */
import * as z from 'zod';

export const zendeskEventSchema = z.looseObject({
  type: z.string().startsWith('zen:event-type:'),
  account_id: z.number().int(),
  id: z.string().min(1),
  time: z.string().min(1),
  zendesk_event_version: z.string(),
  subject: z.string(),
  detail: z.looseObject({}),
  event: z.looseObject({}).optional(),
});
export type ZendeskEvent = z.infer<typeof zendeskEventSchema>;

const id = z.string().nullable().optional();

/** https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/ */
export const zendeskTicketSchema = z.looseObject({
  id: z.string().min(1),
  subject: z.string(),
  description: z.string().optional(),
  status: z.string(),
  priority: z.string().nullable().optional(),
  type: z.string().nullable().optional(),
  requester_id: z.string(),
  submitter_id: id,
  assignee_id: id,
  actor_id: id,
  brand_id: id,
  group_id: id,
  form_id: id,
  organization_id: id,
  external_id: id,
  custom_status: id,
  is_public: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
  via: z.looseObject({ channel: z.string() }).optional(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const ZENDESK_TICKET_CREATED = 'zen:event-type:ticket.created';

export const zendeskTicketCreatedSchema = zendeskEventSchema.extend({
  type: z.literal(ZENDESK_TICKET_CREATED),
  subject: z.string().startsWith('zen:ticket:'),
  detail: zendeskTicketSchema,
});
export type ZendeskTicketCreated = z.infer<typeof zendeskTicketCreatedSchema>;

export const ZENDESK_TYPED_EVENTS: Record<string, z.ZodType<Record<string, unknown>>> = {
  [ZENDESK_TICKET_CREATED]: zendeskTicketCreatedSchema,
};
