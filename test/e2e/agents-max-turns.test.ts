/**
 * Issue 5, "a run that reaches max turns fails with a clear error": on the
 * local runtime, a triage agent limited to 2 turns whose (recorded) model
 * keeps searching the knowledge base ends its run FAILED with
 * `Agent.MaxTurnsReached`, a cause naming the agent and the limit, and an
 * `aios.run.failed` event on the bus.
 */
import path from 'node:path';
import { ROOT, runIdOf, startAgentsRuntime, TEST_RECORDINGS, toolUsesOf, type AgentsRuntime } from './agents-runtime';

jest.setTimeout(60_000);

let env: AgentsRuntime;

beforeAll(async () => {
  env = await startAgentsRuntime({ osModule: path.join(ROOT, 'test/fixtures/definitions/max-turns-os.ts'), recordingsDir: TEST_RECORDINGS });
});

afterAll(async () => {
  await env?.close();
});

test('a model that never gives a final answer ends the run FAILED with Agent.MaxTurnsReached, announced as aios.run.failed', async () => {
  expect(env.rt.os.agents.find((a) => a.id === 'triage')?.maxTurns).toBe(2);
  const arn = await env.startTicket({ id: '7001', subject: 'Order KC-70001 is late', description: 'My order KC-70001 is a week late. Where is it?' });
  const run = await env.finished(arn);
  const runId = runIdOf(arn);

  expect(run.status).toBe('FAILED');
  expect(run.error).toBe('Agent.MaxTurnsReached');
  expect(run.cause).toMatch(/agent "triage" .*\b2 turns\b/i);

  // The model had exactly its two turns; the search it asked for in its last turn is not run (no turn is left to read it).
  const uses = toolUsesOf(await env.conversation(runId));
  expect(uses.map((u) => u.name)).toEqual(['knowledge_search', 'knowledge_search']);
  const audit = await env.audit(runId);
  expect(audit.filter((r) => r.kind === 'model.called')).toHaveLength(2);
  expect(audit.filter((r) => r.kind === 'tool.ran').map((r) => (r.data as { toolUseId: string }).toolUseId)).toEqual([uses[0].toolUseId]);
  expect(audit[audit.length - 1]).toMatchObject({ kind: 'run.ended', data: { status: 'FAILED', error: 'Agent.MaxTurnsReached' } });
  // Step Functions' status change of this failure reaches emit-event too: it finds the workflow's own record and adds none.
  await env.rt.whenEventsDelivered();
  expect((await env.audit(runId)).filter((r) => r.kind === 'run.ended')).toHaveLength(1);

  // The failure is announced on the bus for other systems.
  const failed = (await env.publishedEvents('aios'))
    .filter((e) => e.DetailType === 'aios.run.failed')
    .map((e) => JSON.parse(e.Event) as { detail: { runId: string; workflowId: string; error: string; cause?: string } })
    .filter((e) => e.detail.runId === runId);
  expect(failed).toHaveLength(1);
  expect(failed[0].detail).toMatchObject({ workflowId: 'support-desk', error: 'Agent.MaxTurnsReached', cause: run.cause });
  expect(env.outbox()).toEqual([]);
  expect(await env.businessCalls(runId)).toEqual([]);
});
