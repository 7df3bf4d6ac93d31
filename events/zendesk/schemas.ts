/**
 * Zendesk event webhooks (https://developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/):
 * `{ type: "zen:event-type:…", account_id, id, time, zendesk_event_version, subject, detail, event }`.
 * Ticket ids and other ids in `detail` are strings.
 */
import * as z from '../../shared/mini-zod';

export const zendeskEventSchema = z.looseObject({
  type: z.string().check(z.startsWith('zen:event-type:')),
  account_id: z.int(),
  id: z.string().check(z.minLength(1)),
  time: z.string().check(z.minLength(1)),
  zendesk_event_version: z.string(),
  subject: z.string(),
  detail: z.looseObject({}),
  event: z.optional(z.looseObject({})),
});
export type ZendeskEvent = z.infer<typeof zendeskEventSchema>;

const id = z.optional(z.nullable(z.string()));

/** https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/ */
export const zendeskTicketSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  subject: z.string(),
  description: z.optional(z.string()),
  status: z.string(),
  priority: z.optional(z.nullable(z.string())),
  type: z.optional(z.nullable(z.string())),
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
  is_public: z.optional(z.boolean()),
  tags: z.optional(z.array(z.string())),
  via: z.optional(z.looseObject({ channel: z.string() })),
  created_at: z.string(),
  updated_at: z.string(),
});

export const ZENDESK_TICKET_CREATED = 'zen:event-type:ticket.created';

export const zendeskTicketCreatedSchema = z.extend(zendeskEventSchema, {
  type: z.literal(ZENDESK_TICKET_CREATED),
  subject: z.string().check(z.startsWith('zen:ticket:')),
  detail: zendeskTicketSchema,
});
export type ZendeskTicketCreated = z.infer<typeof zendeskTicketCreatedSchema>;

export const ZENDESK_TYPED_EVENTS: Record<string, z.ZodMiniType<Record<string, unknown>>> = {
  [ZENDESK_TICKET_CREATED]: zendeskTicketCreatedSchema,
};
