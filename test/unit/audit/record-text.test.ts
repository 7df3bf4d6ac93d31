/** The sentences `aios audit show` prints and the console shows: how a run started, by whom when by hand. */
import type { AuditKind, AuditRecord } from '../../../shared/audit/record';
import { recordSummary } from '../../../shared/audit/record-text';
import { manualStartRecordData } from '../../support/manual-start-record';

const record = (kind: AuditKind, data: Record<string, unknown>): AuditRecord => ({
  runId: 'r',
  seq: 1,
  kind,
  at: '',
  data: data as never,
  prevHash: '',
  hash: '',
});

describe('recordSummary', () => {
  test('a manual start names the operator and the event file given; an event start names the event; a schedule says so', () => {
    expect(recordSummary(record('run.started', manualStartRecordData))).toBe(
      'support-desk started by hand, by sam@laptop (cli), with event saas.hubspot / contact.creation (sample-hubspot)',
    );
    expect(recordSummary(record('run.started', { workflowId: 'support-desk', trigger: 'manual', operator: 'sam@laptop', via: 'cli' }))).toBe(
      'support-desk started by hand, by sam@laptop (cli)',
    );
    expect(
      recordSummary(
        record('run.started', {
          workflowId: 'weekly-review',
          trigger: 'manual',
          operator: 'sam@laptop',
          via: 'cli',
          source: 'aios.scheduler',
          detailType: 'Scheduled Event',
        }),
      ),
    ).toBe('weekly-review started by hand, by sam@laptop (cli), with the input its schedule gives');
    expect(recordSummary(record('run.started', { workflowId: 'support-desk', trigger: 'manual' }))).toBe(
      'support-desk started by hand, by someone not recorded',
    );
    expect(
      recordSummary(record('run.started', { workflowId: 'sales-follow-up', trigger: 'event', source: 'saas.hubspot', detailType: 'contact.creation' })),
    ).toBe('sales-follow-up started by event saas.hubspot / contact.creation');
    expect(
      recordSummary(record('run.started', { workflowId: 'weekly-review', trigger: 'schedule', source: 'aios.scheduler', detailType: 'Scheduled Event' })),
    ).toBe('weekly-review started by its schedule');
    expect(recordSummary(record('event.received', { source: 'saas.hubspot', detailType: 'contact.creation', eventId: 'e-1' }))).toBe(
      'event saas.hubspot / contact.creation (e-1)',
    );
    expect(
      recordSummary(
        record('run.started', { workflowId: 'sales-follow-up', trigger: 'event', source: 'saas.hubspot', detailType: 'contact.creation', replayName: 'r-1' }),
      ),
    ).toBe('sales-follow-up started by event saas.hubspot / contact.creation, replayed as r-1');
    expect(recordSummary(record('event.received', { source: 'saas.hubspot', detailType: 'contact.creation', eventId: 'e-2', sentBy: 'sam@laptop' }))).toBe(
      'event saas.hubspot / contact.creation (e-2), put on the bus by hand by sam@laptop',
    );
  });

  test('an approval a workflow step asks for (no tool) reads without a gap; a kind without a sentence (one a newer writer added) prints its data', () => {
    expect(
      recordSummary(
        record('approval.requested', { approvalId: 'ap-1', stage: 'primary', approvers: ['leo'], quorum: 1, deadline: '2026-12-09T20:38:22.660Z' }),
      ),
    ).toBe('ap-1 → leo (1), deadline 2026-12-09T20:38:22.660Z');
    expect(recordSummary(record('some.later_kind' as AuditKind, { runId: 'run-1' }))).toBe('{"runId":"run-1"}');
  });

  test('what ran, was refused, ended or was steered reads as a sentence naming the approval, the reason or the person', () => {
    const long = `{"results":"${'x'.repeat(300)}"}`;
    expect(
      recordSummary(record('tool.ran', { tool: 'refunds.issue', status: 'ok', approvalId: 'ap-1', inputDigest: 'd', summary: '{"refundId":"re_1"}' })),
    ).toBe('refunds.issue ran: ok, approved in ap-1 — {"refundId":"re_1"}');
    const clipped = recordSummary(record('tool.ran', { tool: 'knowledge.search', status: 'ok', summary: long }));
    expect(clipped).toHaveLength('knowledge.search ran: ok — '.length + 160);
    expect(clipped.endsWith('…')).toBe(true);
    // A tool's error message may span lines; `aios audit show` prints one record a line.
    expect(recordSummary(record('tool.ran', { tool: 'crm.note', status: 'error', summary: 'HubSpot said:\n  contact 90412\r\nnot found' }))).toBe(
      'crm.note ran: error — HubSpot said: contact 90412 not found',
    );
    expect(recordSummary(record('tool.refused', { tool: 'refunds.issue', why: 'rejected by sam' }))).toBe('refunds.issue not run: rejected by sam');
    expect(recordSummary(record('run.ended', { status: 'FAILED', error: 'Agent.MaxTurnsReached' }))).toBe('FAILED: Agent.MaxTurnsReached');
    expect(
      recordSummary(
        record('run.duplicate', {
          workflowId: 'w',
          delivery: 'aios:bus-event:e-1',
          duplicateOf: 'run-1',
          source: 'saas.hubspot',
          detailType: 'contact.creation',
        }),
      ),
    ).toBe('a second start of saas.hubspot / contact.creation (aios:bus-event:e-1): run run-1 holds it, so nothing was done');
    expect(recordSummary(record('control.changed', { by: 'maya', target: 'run', id: 'run-1', state: 'stopped', why: 'wrong order' }))).toBe(
      'maya stopped run run-1: “wrong order”',
    );
    // The console's own chain: who signed in, out, or was refused what.
    expect(recordSummary(record('console.access', { person: 'maya', what: 'signed_in' }))).toBe('maya signed in to the console');
    expect(recordSummary(record('console.access', { person: 'maya', what: 'signed_out' }))).toBe('maya signed out of the console');
    expect(
      recordSummary(record('console.access', { person: 'sam', what: 'forbidden', path: '/console/rights', reason: 'Only an admin may change rights.' })),
    ).toBe('sam was refused /console/rights: Only an admin may change rights.');
    expect(recordSummary(record('run.indexed', { runId: 'run-1' }))).toBe('run run-1 has an audit trail');
    expect(recordSummary(record('approval.deadline_passed', { approvalId: 'ap-1', stage: 'primary', then: 'escalated' }))).toBe(
      'ap-1: the primary deadline passed → escalated',
    );
  });
});
