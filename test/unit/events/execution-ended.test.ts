/**
 * A run's end recorded from Step Functions' status change event, with payloads in the shape AWS sends them
 * (test/fixtures/aws/states-status-change.*.json): once per end, with the status, error and cause; nothing added
 * when the workflow's own end step recorded the failure; and `aios.run.failed` for the ends no step announced.
 */
import aborted from '../../fixtures/aws/states-status-change.aborted.json';
import abortedBeforeRedrive from '../../fixtures/aws/states-status-change.aborted-before-redrive.json';
import failedUncaught from '../../fixtures/aws/states-status-change.failed-uncaught.json';
import timedOut from '../../fixtures/aws/states-status-change.timed-out.json';
import { isExecutionStatusChange } from '../../../events/aws-states';
import { emitRunEvent } from '../../../events/emit-run-event';
import { recordExecutionEnd, workflowIdOfMachine } from '../../../events/execution-ended';
import { AuditLog } from '../../../shared/audit/audit-log';
import { recordSummary } from '../../../shared/audit/record-text';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { DeliveryRuns } from '../../../shared/webhooks/delivery-runs';
import { RecordingPublisher } from '../../../shared/webhooks/event-publisher';

function setup() {
  const publisher = new RecordingPublisher();
  const audit = new AuditLog(new MemoryTable('audit'));
  const now = () => new Date('2026-12-05T12:00:00.000Z');
  return { publisher, audit, deps: { audit, publisher, namePrefix: 'aios', now }, runs: new DeliveryRuns(new MemoryTable('state'), now) };
}

const runOf = (event: { detail: { name: string } }) => event.detail.name;
const withDetail = <T extends { detail: object }>(event: T, detail: Record<string, unknown>): T => ({ ...event, detail: { ...event.detail, ...detail } });

describe('recordExecutionEnd', () => {
  test('a run stopped outside its workflow: run.ended ABORTED with the cause, at the stop, said as Step Functions reported it', async () => {
    const s = setup();
    expect(isExecutionStatusChange(aborted)).toBe(true);
    expect(await recordExecutionEnd(s.deps, aborted)).toEqual({ runId: runOf(aborted), status: 'ABORTED', outcome: 'recorded' });
    const trail = await s.audit.records(runOf(aborted));
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      kind: 'run.ended',
      at: '2026-12-05T10:05:00.000Z',
      once: 'run.ended:ABORTED:0',
      data: { status: 'ABORTED', cause: 'stopped in the console by Sam Ortiz: wrong customer', via: 'status-change' },
    });
    expect(trail[0].data).not.toHaveProperty('error');
    expect(recordSummary(trail[0])).toBe(
      'ABORTED: stopped from outside the workflow (StopExecution) — “stopped in the console by Sam Ortiz: wrong customer” (reported by Step Functions)',
    );
    expect(s.publisher.events).toEqual([
      {
        source: 'aios',
        detailType: 'aios.run.failed',
        time: new Date('2026-12-05T10:05:00.000Z'),
        detail: {
          runId: runOf(aborted),
          workflowId: 'support-desk',
          startedAt: '2026-12-05T10:00:00.000Z',
          endedAt: '2026-12-05T10:05:00.000Z',
          error: 'Execution.Aborted',
          cause: 'stopped in the console by Sam Ortiz: wrong customer',
          status: 'ABORTED',
        },
      },
    ]);
  });

  test('delivered twice (EventBridge delivers at least once), the end is recorded once', async () => {
    const s = setup();
    await recordExecutionEnd(s.deps, aborted);
    await recordExecutionEnd(s.deps, { ...aborted, id: 'another-delivery' });
    expect((await s.audit.records(runOf(aborted))).map((r) => r.kind)).toEqual(['run.ended']);
  });

  test('a run that passed its time limit: TIMED_OUT with States.Timeout and the cause', async () => {
    const s = setup();
    await recordExecutionEnd(s.deps, timedOut);
    const [ended] = await s.audit.records(runOf(timedOut));
    expect(ended.data).toEqual({ status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out after 3600 seconds.', via: 'status-change' });
    expect(recordSummary(ended)).toBe(
      "TIMED_OUT: the run passed its state machine's time limit (TimeoutSeconds) — “The execution timed out after 3600 seconds.” (reported by Step Functions)",
    );
    expect(s.publisher.events[0].detail).toMatchObject({ error: 'States.Timeout', status: 'TIMED_OUT' });
  });

  test('a failure no Catch reached (here: in the end step itself) is recorded from the event, error and cause', async () => {
    const s = setup();
    await recordExecutionEnd(s.deps, failedUncaught);
    const [ended] = await s.audit.records(runOf(failedUncaught));
    expect(ended).toMatchObject({
      once: 'run.ended:FAILED:0',
      data: { status: 'FAILED', error: 'Lambda.ServiceException', cause: 'Rate exceeded while invoking aios-emit-event', via: 'status-change' },
    });
    expect(recordSummary(ended)).toBe(
      'FAILED: Lambda.ServiceException — “Rate exceeded while invoking aios-emit-event” (reported by Step Functions: it failed where the workflow could not record it)',
    );
    expect(s.publisher.events.map((e) => e.detailType)).toEqual(['aios.run.failed']);
  });

  test('a failure the workflow caught and recorded itself: the event finds that record and adds nothing, announces nothing', async () => {
    const s = setup();
    const runId = runOf(failedUncaught);
    // The workflow's own end step, as the compiled ASL calls it before the execution fails.
    await emitRunEvent(
      { publisher: s.publisher, audit: s.audit, runs: s.runs },
      {
        runId,
        workflowId: 'support-desk',
        stepId: 'run',
        agentId: null,
        detailType: 'aios.run.failed',
        detail: { startedAt: '2026-12-05T10:00:00.000Z', error: 'Agent.MaxTurnsReached', cause: 'agent "triage" used its 2 turns', redriveCount: 0 },
      },
    );
    const announced = s.publisher.events.length;
    const out = await recordExecutionEnd(s.deps, withDetail(failedUncaught, { error: 'Agent.MaxTurnsReached', cause: 'agent "triage" used its 2 turns' }));
    expect(out.outcome).toBe('already');
    const trail = await s.audit.records(runId);
    expect(trail.map((r) => [r.kind, r.once, r.data.status, r.data.error])).toEqual([['run.ended', 'run.ended:FAILED:0', 'FAILED', 'Agent.MaxTurnsReached']]);
    expect(recordSummary(trail[0])).toBe('FAILED: Agent.MaxTurnsReached');
    expect(s.publisher.events).toHaveLength(announced);
  });

  test('a redriven run that fails again keeps each failure: the redrive count keys each end', async () => {
    const s = setup();
    await recordExecutionEnd(s.deps, failedUncaught);
    await recordExecutionEnd(s.deps, withDetail(failedUncaught, { redriveCount: 1, stopDate: 1796465000000, error: 'States.TaskFailed' }));
    const trail = await s.audit.records(runOf(failedUncaught));
    expect(trail.map((r) => [r.once, r.data.error])).toEqual([
      ['run.ended:FAILED:0', 'Lambda.ServiceException'],
      ['run.ended:FAILED:1', 'States.TaskFailed'],
    ]);
  });

  test('an event of before RedriveExecution (no redrive fields, no error, no cause) reads as the first end', async () => {
    const s = setup();
    await recordExecutionEnd(s.deps, abortedBeforeRedrive);
    const [ended] = await s.audit.records(runOf(abortedBeforeRedrive));
    expect(ended).toMatchObject({ once: 'run.ended:ABORTED:0', data: { status: 'ABORTED', via: 'status-change' } });
    expect(recordSummary(ended)).toBe('ABORTED: stopped from outside the workflow (StopExecution), no reason given (reported by Step Functions)');
  });

  test('a change that is not an end (RUNNING) records nothing; a malformed event is refused at the edge', async () => {
    const s = setup();
    expect(await recordExecutionEnd(s.deps, withDetail(aborted, { status: 'RUNNING', stopDate: null }))).toMatchObject({ outcome: 'ignored' });
    expect(await s.audit.runs()).toEqual([]);
    await expect(recordExecutionEnd(s.deps, withDetail(aborted, { name: undefined }))).rejects.toThrow(/detail\.name|name/);
    await expect(recordExecutionEnd(s.deps, withDetail(aborted, { status: 'PAUSED' }))).rejects.toThrow();
    expect(isExecutionStatusChange({ source: 'aios', 'detail-type': 'Step Functions Execution Status Change' })).toBe(false);
  });

  test("the workflow is the machine's name less the deployment's prefix (locally machines are named by workflow alone)", () => {
    expect(workflowIdOfMachine('arn:aws:states:us-east-1:123456789012:stateMachine:aios-support-desk', 'aios')).toBe('support-desk');
    expect(workflowIdOfMachine('arn:aws:states:us-east-1:123456789012:stateMachine:acme-weekly-review', 'acme')).toBe('weekly-review');
    expect(workflowIdOfMachine('arn:aws:states:us-east-1:000000000000:stateMachine:support-desk', 'aios')).toBe('support-desk');
  });
});
