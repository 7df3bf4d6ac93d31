import { aios } from '../catalog';

/** Every Monday morning, remind the support lead to review last week's refunds and escalations. */
export const weeklyReview = aios.workflow({
  id: 'weekly-review',
  description: 'A weekly nudge to review refunds and escalations.',
  triggers: [aios.onSchedule('cron(0 9 ? * MON *)', { timeZone: 'America/New_York', description: 'Mondays 09:00 New York' })],
  steps: [
    aios.emit('remind', {
      title: 'Remind support lead',
      detailType: 'support.weekly-review.due',
      detail: { audience: 'support-lead', scheduledAt: aios.ref('event.time') },
    }),
  ],
});
