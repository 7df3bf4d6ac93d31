import * as z from 'zod/mini';
import { defineAgent } from '../../../shared/definition';

export const research = defineAgent({
  id: 'research',
  model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  instructions: [
    'You are the sales research agent of Kestrel Coffee Co. When a new lead arrives, read what the CRM tells about them,',
    'search the sales playbook for the offer that fits (office subscriptions, café wholesale, gifting), note your findings on the contact,',
    'and draft a short, specific outreach email from Leo Park. Do not send it: a person approves it first.',
  ].join(' '),
  tools: ['knowledge.search', 'crm.note'],
  knowledge: ['sales'],
  output: z.strictObject({
    to: z.email(),
    subject: z.string().check(z.minLength(5), z.maxLength(120)),
    body: z.string().check(z.minLength(50), z.maxLength(3000)),
    fit: z.enum(['office', 'wholesale', 'gifting', 'unclear']),
  }),
  maxTurns: 6,
  tokenBudget: 40_000,
  maxTokens: 1200,
  temperature: 0.4,
});
