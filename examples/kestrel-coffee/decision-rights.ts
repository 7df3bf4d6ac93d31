/**
 * Kestrel's decision rights: what AIOS may do alone, what a named person must
 * approve, and what it must never do. Ordered; the first matching rule decides.
 * A tool with side effects that no rule allows is denied.
 */
import { aios } from './catalog';

export const rights = aios.rules([
  { id: 'read-knowledge', tool: 'knowledge.search', outcome: 'allow', description: 'Reading the knowledge base is always fine.' },
  { id: 'remember', tool: 'knowledge.remember', outcome: 'allow', limit: { count: 50, per: 'day', scope: 'agent' } },
  {
    id: 'no-huge-refunds',
    tool: 'refunds.issue',
    when: 'amount > 2000',
    outcome: 'deny',
    reason: 'Refunds over $2,000 are handled by the owner outside AIOS.',
  },
  {
    id: 'small-refunds',
    tool: 'refunds.issue',
    when: 'amount <= 50',
    limit: { sum: { field: 'amount', max: 500 }, per: 'day', scope: 'tool' },
    outcome: 'allow',
    description: 'Up to $50 per refund and $500 a day in total without asking.',
  },
  {
    id: 'medium-refunds',
    tool: 'refunds.issue',
    when: 'amount <= 500',
    outcome: 'approve',
    approvers: ['role:support-lead'],
    timeout: '4h',
    onTimeout: 'reject',
  },
  {
    id: 'large-refunds',
    tool: 'refunds.issue',
    outcome: 'approve',
    approvers: ['role:finance'],
    timeout: '24h',
    onTimeout: { escalateTo: ['role:owner'], timeout: '24h' },
  },
  { id: 'ticket-replies', tool: 'tickets.reply', agent: 'triage', outcome: 'allow', description: 'The triage agent answers customers.' },
  { id: 'crm-notes', tool: 'crm.note', outcome: 'allow' },
  {
    id: 'approved-outreach',
    tool: 'email.send',
    workflow: 'sales-follow-up',
    outcome: 'allow',
    description: 'Sent only by the sales workflow, after a person approved the draft in its approval step.',
  },
  { id: 'internal-events', tool: 'events.emit', outcome: 'allow', limit: { count: 200, per: 'hour', scope: 'tool' } },
  { id: 'no-web', tool: 'http.request', outcome: 'deny', reason: 'Agents do not browse; ask a person.' },
]);
