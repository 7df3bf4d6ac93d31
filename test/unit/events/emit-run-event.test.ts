import { emitRunEvent } from '../../../events/emit-run-event';
import { startedByHand } from '../../../shared/contracts/manual-start';
import { AuditLog } from '../../../shared/audit/audit-log';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { DeliveryRuns } from '../../../shared/webhooks/delivery-runs';
import { RecordingPublisher } from '../../../shared/webhooks/event-publisher';
import { manualStartRecordData } from '../../support/manual-start-record';

function setup() {
  const publisher = new RecordingPublisher();
  const audit = new AuditLog(new MemoryTable('audit'));
  const now = () => new Date('2026-11-24T10:00:05.000Z');
  const runs = new DeliveryRuns(new MemoryTable('state'), now);
  return { publisher, audit, deps: { publisher, audit, runs, now } };
}

const base = { runId: 'run-1', workflowId: 'support-desk', stepId: 'run', agentId: null };

describe('emitRunEvent', () => {
  test('run started: an aios.run.started event describing the trigger, and an audit record', async () => {
    const s = setup();
    const out = await emitRunEvent(s.deps, {
      ...base,
      detailType: 'aios.run.started',
      detail: {
        startedAt: '2026-11-24T10:00:00.000Z',
        trigger: { source: 'saas.zendesk', 'detail-type': 'zen:event-type:ticket.created', id: 'ev-9', detail: {} },
      },
    });
    expect(out.eventId).toBe('recorded-1');
    expect(s.publisher.events[0]).toMatchObject({
      source: 'aios',
      detailType: 'aios.run.started',
      detail: {
        runId: 'run-1',
        workflowId: 'support-desk',
        startedAt: '2026-11-24T10:00:00.000Z',
        trigger: { kind: 'event', source: 'saas.zendesk', id: 'ev-9' },
      },
    });
    expect((await s.audit.records('run-1')).map((r) => [r.kind, r.data.workflowId ?? r.data.source])).toEqual([
      ['event.received', 'saas.zendesk'],
      ['run.started', 'support-desk'],
    ]);
  });

  test('a manual start and a scheduled start are told apart', async () => {
    const s = setup();
    await emitRunEvent(s.deps, { ...base, detailType: 'aios.run.started', detail: { startedAt: '2026-11-24T10:00:00.000Z', trigger: { ticketId: '1' } } });
    await emitRunEvent(s.deps, {
      ...base,
      detailType: 'aios.run.started',
      detail: { startedAt: '2026-11-24T10:00:00.000Z', trigger: { source: 'aios.scheduler', 'detail-type': 'Scheduled Event' } },
    });
    expect(s.publisher.events.map((e) => (e.detail.trigger as { kind: string }).kind)).toEqual(['manual', 'schedule']);
  });

  describe('a run started by hand (aios start)', () => {
    const event = { source: 'saas.hubspot', 'detail-type': 'contact.creation', id: 'sample-hubspot', detail: {} };
    const byHand = (runId: string, input: unknown = startedByHand(event, { operator: 'sam@laptop', via: 'cli' })) => ({
      ...base,
      runId,
      detailType: 'aios.run.started',
      // What the compiled workflow hands its start: the execution's input as it came.
      detail: { startedAt: '2026-11-24T10:00:00.000Z', trigger: input },
    });

    test('is recorded as a manual start naming the operator, not as an event received from the file’s source', async () => {
      const s = setup();
      await emitRunEvent(s.deps, byHand('run-1'));
      const trail = await s.audit.records('run-1');
      expect(trail.map((r) => r.kind)).toEqual(['run.started']);
      expect(trail[0].data).toEqual(manualStartRecordData);
      expect(s.publisher.events[0].detail.trigger).toEqual({
        kind: 'manual',
        operator: 'sam@laptop',
        via: 'cli',
        source: 'saas.hubspot',
        detailType: 'contact.creation',
        id: 'sample-hubspot',
      });
    });

    test('claims no delivery: the same event file started twice is two runs, not a duplicate', async () => {
      const s = setup();
      expect((await emitRunEvent(s.deps, byHand('run-1'))).duplicateOf).toBeNull();
      expect((await emitRunEvent(s.deps, byHand('run-2'))).duplicateOf).toBeNull();
      expect((await s.audit.records('run-2')).map((r) => r.kind)).toEqual(['run.started']);
    });

    test('with no input the record still names the operator; a malformed marker names no one but is still a start by hand', async () => {
      const s = setup();
      await emitRunEvent(s.deps, byHand('run-1', startedByHand({}, { operator: 'sam@laptop', via: 'cli' })));
      expect((await s.audit.records('run-1'))[0].data).toEqual({ workflowId: 'support-desk', trigger: 'manual', operator: 'sam@laptop', via: 'cli' });
      // The compiled workflow unwraps any input with the key, so its start must not take the wrapped event for a received one.
      await emitRunEvent(s.deps, byHand('run-2', { aiosManualStart: { operator: '' }, input: event }));
      const trail = await s.audit.records('run-2');
      expect(trail.map((r) => r.kind)).toEqual(['run.started']);
      expect(trail[0].data).toEqual({
        workflowId: 'support-desk',
        trigger: 'manual',
        source: 'saas.hubspot',
        detailType: 'contact.creation',
        eventId: 'sample-hubspot',
      });
    });
  });

  test('run failed carries the error and ends the audit chain', async () => {
    const s = setup();
    await emitRunEvent(s.deps, {
      ...base,
      detailType: 'aios.run.failed',
      detail: { startedAt: '2026-11-24T10:00:00.000Z', error: 'Agent.MaxTurnsReached', cause: 'used all 8 turns' },
    });
    expect(s.publisher.events[0].detail).toMatchObject({ error: 'Agent.MaxTurnsReached', cause: 'used all 8 turns', endedAt: '2026-11-24T10:00:05.000Z' });
    expect((await s.audit.records('run-1'))[0]).toMatchObject({ kind: 'run.ended', data: { status: 'FAILED', error: 'Agent.MaxTurnsReached' } });
  });

  test('an emit step publishes under aios.workflow with the run attached', async () => {
    const s = setup();
    await emitRunEvent(s.deps, { ...base, stepId: 'announceTriaged', detailType: 'support.ticket.triaged', detail: { summary: 's' } });
    expect(s.publisher.events[0]).toMatchObject({
      source: 'aios.workflow',
      detailType: 'support.ticket.triaged',
      detail: { summary: 's', aios: { runId: 'run-1', workflowId: 'support-desk', stepId: 'announceTriaged' } },
    });
    expect(await s.audit.records('run-1')).toEqual([]);
  });

  describe('a run started by a webhook delivery claims it first', () => {
    const delivery = 'aios:webhook-delivery:zendesk:zen-77';
    const trigger = {
      source: 'saas.zendesk',
      'detail-type': 'zen:event-type:ticket.created',
      id: 'ev-1',
      resources: ['https://kestrel.zendesk.com', delivery],
      detail: {},
    };
    const start = (runId: string, workflowId = 'support-desk') => ({
      ...base,
      runId,
      workflowId,
      detailType: 'aios.run.started',
      detail: { startedAt: '2026-11-24T10:00:00.000Z', trigger },
    });

    test('the second run of the same delivery is a duplicate: no announcement, one audit record naming the first run', async () => {
      const s = setup();
      expect(await emitRunEvent(s.deps, start('run-1'))).toEqual({ eventId: 'recorded-1', duplicateOf: null });
      // The delivery published again (a crash before the ledger marked it done) started a second execution.
      expect(await emitRunEvent(s.deps, start('run-2'))).toEqual({ eventId: '', duplicateOf: 'run-1' });
      expect(s.publisher.events).toHaveLength(1);
      const trail = await s.audit.records('run-2');
      expect(trail.map((r) => r.kind)).toEqual(['run.duplicate']);
      expect(trail[0].data).toMatchObject({ workflowId: 'support-desk', delivery, duplicateOf: 'run-1', source: 'saas.zendesk' });
      // A retried task of the duplicate writes no second record.
      await emitRunEvent(s.deps, start('run-2'));
      expect(await s.audit.records('run-2')).toHaveLength(1);
    });

    test('a retried start of the run that holds the delivery goes on, and its trail says it started once', async () => {
      const s = setup();
      await emitRunEvent(s.deps, start('run-1'));
      expect((await emitRunEvent(s.deps, start('run-1'))).duplicateOf).toBeNull();
      // The engine runs the start task again after a crash: each record once.
      await emitRunEvent(s.deps, start('run-1'));
      expect((await s.audit.records('run-1')).map((r) => r.kind)).toEqual(['event.received', 'run.started']);
    });

    test('a retried end writes run.ended once', async () => {
      const s = setup();
      const end = { ...base, detailType: 'aios.run.succeeded', detail: { startedAt: '2026-11-24T10:00:00.000Z' } };
      await emitRunEvent(s.deps, end);
      await emitRunEvent(s.deps, end);
      expect((await s.audit.records('run-1')).map((r) => r.kind)).toEqual(['run.ended']);
    });

    test('a retried failure writes run.ended once per redrive: a redriven run that fails again keeps both', async () => {
      const s = setup();
      const failed = (redriveCount: number) => ({
        ...base,
        detailType: 'aios.run.failed',
        detail: { startedAt: '2026-11-24T10:00:00.000Z', error: 'States.TaskFailed', cause: 'c', redriveCount },
      });
      await emitRunEvent(s.deps, failed(0));
      await emitRunEvent(s.deps, failed(0));
      await emitRunEvent(s.deps, failed(1));
      expect((await s.audit.records('run-1')).map((r) => [r.kind, r.once])).toEqual([
        ['run.ended', 'run.ended:FAILED:0'],
        ['run.ended', 'run.ended:FAILED:1'],
      ]);
    });

    test('another workflow started by the same delivery is its own run', async () => {
      const s = setup();
      await emitRunEvent(s.deps, start('run-1'));
      expect((await emitRunEvent(s.deps, start('run-9', 'escalations'))).duplicateOf).toBeNull();
    });

    test('a bus event that names no delivery is claimed by its event id: delivered twice, the second start is a duplicate', async () => {
      const s = setup();
      const plain = { ...trigger, resources: [] };
      const startPlain = (runId: string, t: object = plain) => ({ ...start(runId), detail: { startedAt: '2026-11-24T10:00:00.000Z', trigger: t } });
      expect((await emitRunEvent(s.deps, startPlain('run-1'))).duplicateOf).toBeNull();
      // The same event delivered again (the bus resumed a delivery that had in fact happened before a crash).
      expect(await emitRunEvent(s.deps, startPlain('run-2'))).toEqual({ eventId: '', duplicateOf: 'run-1' });
      expect(s.publisher.events).toHaveLength(1);
      const trail = await s.audit.records('run-2');
      expect(trail.map((r) => r.kind)).toEqual(['run.duplicate']);
      expect(trail[0].data).toMatchObject({ delivery: 'aios:bus-event:ev-1', duplicateOf: 'run-1' });
      // Another event (a new id, as a retried PutEvents makes) is another run.
      expect((await emitRunEvent(s.deps, startPlain('run-3', { ...plain, id: 'ev-2' }))).duplicateOf).toBeNull();
    });

    test.each([
      ['a webhook delivery', trigger],
      ['a bus event', { ...trigger, resources: [] }],
    ])('%s replayed from the archive is a run of its own (once per replay), and its trail says it was replayed', async (_what, original) => {
      const s = setup();
      const startWith = (runId: string, t: object) => ({ ...start(runId), detail: { startedAt: '2026-11-24T10:00:00.000Z', trigger: t } });
      const replayed = { ...original, 'replay-name': 'local-replay-1' };
      expect((await emitRunEvent(s.deps, startWith('run-1', original))).duplicateOf).toBeNull();
      // The replay keeps the event's id and delivery: without its replay in the claim it would end as a duplicate of run-1.
      expect((await emitRunEvent(s.deps, startWith('run-2', replayed))).duplicateOf).toBeNull();
      // The replay delivered twice is still one run.
      expect((await emitRunEvent(s.deps, startWith('run-3', replayed))).duplicateOf).toBe('run-2');
      expect((await emitRunEvent(s.deps, startWith('run-4', { ...original, 'replay-name': 'local-replay-2' }))).duplicateOf).toBeNull();
      const trail = await s.audit.records('run-2');
      expect(trail.map((r) => [r.kind, r.data.replayName])).toEqual([
        ['event.received', 'local-replay-1'],
        ['run.started', 'local-replay-1'],
      ]);
    });

    test('an event a person put on the bus (aios send-event) is still an event, and its trail names who sent it', async () => {
      const s = setup();
      const sent = { ...trigger, resources: ['aios:sent-by:sam@laptop'] };
      await emitRunEvent(s.deps, { ...start('run-1'), detail: { startedAt: '2026-11-24T10:00:00.000Z', trigger: sent } });
      const trail = await s.audit.records('run-1');
      expect(trail.map((r) => [r.kind, r.data.sentBy])).toEqual([
        ['event.received', 'sam@laptop'],
        ['run.started', 'sam@laptop'],
      ]);
      expect(trail[1].data.trigger).toBe('event');
    });

    test('scheduled and manual starts claim nothing: each start is its own run', async () => {
      const s = setup();
      const scheduled = { source: 'aios.scheduler', 'detail-type': 'Scheduled Event', id: 'same' };
      for (const [runId, t] of [
        ['run-1', scheduled],
        ['run-2', scheduled],
        ['run-3', { ticketId: '1' }],
        ['run-4', { ticketId: '1' }],
      ] as const) {
        const out = await emitRunEvent(s.deps, { ...start(runId), detail: { startedAt: '2026-11-24T10:00:00.000Z', trigger: t } });
        expect(out.duplicateOf).toBeNull();
      }
      expect(s.publisher.events).toHaveLength(4);
    });
  });
});
