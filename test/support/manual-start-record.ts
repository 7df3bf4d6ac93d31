/**
 * The `run.started` record of a support-desk run started by hand from the HubSpot sample event: what emitRunEvent
 * writes (test/unit/events/emit-run-event.test.ts holds it to that) and what the audit sentences read.
 */
export const manualStartRecordData = {
  workflowId: 'support-desk',
  trigger: 'manual',
  operator: 'sam@laptop',
  via: 'cli',
  source: 'saas.hubspot',
  detailType: 'contact.creation',
  eventId: 'sample-hubspot',
} as const;
