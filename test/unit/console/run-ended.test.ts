/**
 * A run stopped outside the console says how it ended: the run page and the audit page give the `run.ended`
 * record's sentence, written from Step Functions' status change (events/execution-ended.ts).
 */
import { consoleHarness, signIn, T0 } from './console-harness';

describe('how a run ended, in the console', () => {
  test('the run page and the audit page say a stopped run was stopped, with the cause, as Step Functions reported it', async () => {
    const h = consoleHarness();
    await h.deps.audit.append('run-stopped', 'run.started', { workflowId: 'support-desk', trigger: 'manual' });
    await h.deps.audit.append('run-stopped', 'run.ended', { status: 'ABORTED', cause: 'the shipment was sent back', via: 'status-change' });
    h.executions.add('run-stopped', 'support-desk', 'ABORTED', T0);
    const maya = await signIn(h, 'maya@kestrel.example');

    const sentence = 'ABORTED: stopped from outside the workflow (StopExecution) — “the shipment was sent back” (reported by Step Functions)';
    expect((await maya.get('/console/runs/run-stopped')).html).toContain(`How it ended, as its audit trail says: ${sentence}`);
    expect((await maya.get('/console/audit?run=run-stopped&verify=')).html).toContain(`<p>${sentence}</p>`);
  });
});
