import { aios } from '../catalog';

const { ref, when } = aios;

/**
 * A new helpdesk ticket or a Stripe dispute → the triage agent reads the
 * policy, replies to the customer and may propose a refund (decision rights
 * decide whether it runs, needs the support lead or finance, or is refused).
 */
export const supportDesk = aios.workflow({
  id: 'support-desk',
  description: 'Triage new support tickets and payment disputes: answer the customer, refund within policy.',
  triggers: [
    aios.onEvent({ source: ['saas.zendesk'], 'detail-type': ['zen:event-type:ticket.created'] }, { description: 'a new Zendesk ticket' }),
    aios.onEvent({ source: ['saas.stripe'], 'detail-type': ['charge.dispute.created'] }, { description: 'a new Stripe dispute' }),
    aios.manually('start by hand with a ticket as input'),
  ],
  steps: [
    aios.agent('triage', {
      agent: 'triage',
      task: 'A customer needs help. Triage this and act within policy.',
      input: { source: ref('event.source'), kind: ref('event.detail-type'), details: ref('event.detail') },
      retry: [{ errors: ['Agent.ModelThrottled'], maxAttempts: 3, intervalSeconds: 5, backoffRate: 2 }],
    }),
    aios.choice('needsHuman', {
      title: 'Needs a person?',
      choices: [{ when: when.eq('steps.triage.needsHuman', true), next: 'flagForTeam' }],
      otherwise: 'announceTriaged',
    }),
    aios.emit('flagForTeam', {
      title: 'Flag for the team',
      detailType: 'support.ticket.needs-human',
      detail: { summary: ref('steps.triage.summary'), category: ref('steps.triage.category'), runId: ref('run.id') },
      next: 'done',
    }),
    aios.emit('announceTriaged', {
      title: 'Announce triaged',
      detailType: 'support.ticket.triaged',
      detail: { summary: ref('steps.triage.summary'), category: ref('steps.triage.category'), refundUsd: ref('steps.triage.refundUsd') },
    }),
    aios.succeed('done'),
  ],
});
