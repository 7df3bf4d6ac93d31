import { aios } from '../catalog';

const { ref } = aios;

/**
 * A new CRM lead → the research agent drafts an outreach email while the sales
 * team is told the lead arrived; a salesperson approves the draft before it is
 * sent, and the CRM records what happened.
 */
export const salesFollowUp = aios.workflow({
  id: 'sales-follow-up',
  description: 'Research new leads and send an outreach email a person has approved.',
  triggers: [aios.onEvent({ source: ['saas.hubspot'], 'detail-type': ['contact.creation'] }, { description: 'a new HubSpot contact' }), aios.manually()],
  steps: [
    // The team hears about the lead at once, while the agent researches it: neither waits for the other.
    aios.parallel('researchLead', {
      title: 'Research the lead',
      branches: [
        [
          aios.agent('research', {
            agent: 'research',
            task: 'A new lead arrived. Research them and draft the outreach email.',
            input: { lead: ref('event.detail') },
          }),
        ],
        [
          aios.emit('announceLead', {
            title: 'Tell the sales team',
            detailType: 'sales.lead.researching',
            detail: { contactId: ref('event.detail.objectId'), runId: ref('run.id') },
          }),
        ],
      ],
    }),
    aios.approval('approveOutreach', {
      title: 'Outreach: await approval',
      approvers: ['role:sales'],
      timeout: '48h',
      onTimeout: { escalateTo: ['role:owner'], timeout: '24h' },
      subject: 'Send this outreach email to a new lead?',
      details: {
        to: ref('steps.researchLead[0].research.to'),
        subject: ref('steps.researchLead[0].research.subject'),
        body: ref('steps.researchLead[0].research.body'),
        fit: ref('steps.researchLead[0].research.fit'),
      },
      onReject: 'noteDeclined',
    }),
    aios.tool('sendOutreach', {
      title: 'Outreach: send',
      tool: 'email.send',
      input: {
        to: ref('steps.researchLead[0].research.to'),
        subject: ref('steps.researchLead[0].research.subject'),
        body: ref('steps.researchLead[0].research.body'),
      },
    }),
    aios.tool('noteSent', {
      title: 'Outreach: note sent',
      tool: 'crm.note',
      input: { contactId: ref('event.detail.objectId'), body: 'Outreach email sent after approval by AIOS sales follow-up.' },
      next: 'done',
    }),
    aios.tool('noteDeclined', {
      title: 'Outreach: note declined',
      tool: 'crm.note',
      input: { contactId: ref('event.detail.objectId'), body: 'Outreach draft declined or not approved in time; no email sent.' },
    }),
    aios.succeed('done'),
  ],
});
