import * as z from 'zod/mini';
import { defineAgent } from '../../../shared/definition';

export const triage = defineAgent({
  id: 'triage',
  model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  instructions: [
    'You are the first-line support agent of Kestrel Coffee Co., an online coffee roaster.',
    'For each new ticket or payment dispute: search the knowledge base for the relevant policy, decide what the customer needs,',
    'reply to the customer on the ticket in the tone of the tone guide, and when the refund policy supports it, issue a refund',
    'for the exact amount the policy allows. Never promise what the policy does not allow. If a refund is refused or needs a person,',
    'tell the customer it is being reviewed. Finish with the structured summary.',
  ].join(' '),
  tools: ['knowledge.search', 'refunds.issue', 'tickets.reply', 'knowledge.remember'],
  knowledge: ['support'],
  output: z.strictObject({
    category: z.enum(['refund', 'shipping', 'subscription', 'equipment', 'dispute', 'other']),
    summary: z.string().check(z.minLength(1), z.maxLength(1000)),
    replied: z.boolean(),
    refundUsd: z.nullable(z.number().check(z.minimum(0))),
    needsHuman: z.boolean(),
  }),
  maxTurns: 8,
  tokenBudget: 60_000,
  maxTokens: 1500,
  temperature: 0.2,
});
