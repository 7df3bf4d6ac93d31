/**
 * A run started by hand reads as one in the console: the run page says who started it and how, the audit
 * page gives the record's sentence above its data; a run an event started says which event.
 */
import { consoleHarness, signIn, T0 } from './console-harness';

describe('a manual start in the console', () => {
  test('the run page and the audit page name the operator; an event-started run names its event', async () => {
    const h = consoleHarness();
    await h.deps.audit.append('run-hand', 'run.started', {
      workflowId: 'support-desk',
      trigger: 'manual',
      operator: 'sam@laptop',
      via: 'cli',
      source: 'saas.zendesk',
      detailType: 'zen:event-type:ticket.created',
      eventId: 'ev-9',
    });
    h.executions.add('run-hand', 'support-desk', 'SUCCEEDED', T0);
    await h.deps.audit.append('run-event', 'event.received', { source: 'saas.zendesk', detailType: 'zen:event-type:ticket.created', eventId: 'ev-10' });
    await h.deps.audit.append('run-event', 'run.started', {
      workflowId: 'support-desk',
      trigger: 'event',
      source: 'saas.zendesk',
      detailType: 'zen:event-type:ticket.created',
    });
    h.executions.add('run-event', 'support-desk', 'SUCCEEDED', T0);
    const maya = await signIn(h, 'maya@kestrel.example');

    const byHand = 'by hand, by sam@laptop (cli), with event saas.zendesk / zen:event-type:ticket.created (ev-9)';
    expect((await maya.get('/console/runs/run-hand')).html).toMatch(new RegExp(`Started [^<]* ${byHand.replace(/[()/]/g, '\\$&')}`));
    expect((await maya.get('/console/runs/run-event')).html).toMatch(/Started [^<]* by event saas\.zendesk \/ zen:event-type:ticket\.created/);

    const audit = (await maya.get('/console/audit?run=run-hand&verify=')).html;
    expect(audit).toContain(`<p>support-desk started ${byHand}</p>`);
    // On a phone each record stacks, its kind and its sentence each under a label, as the rules table does.
    expect(audit).toContain('<table class="audit stack">');
    expect(audit).toContain(`<td data-label="What"><p>support-desk started ${byHand}</p>`);
  });
});
