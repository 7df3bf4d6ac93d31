/**
 * The engine's compact writes survive a restart: the children a Map starts
 * together share one row, a `.waitForTaskToken` acceptance is recorded by its
 * TaskSubmitted event alone, and an execution's history continues from its
 * own row into the history table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FunctionRegistry } from '../../../local/functions';
import { openStepFunctions, type LocalStepFunctions } from '../../../local/stepfunctions';
import { untilTrue as until } from '../../support/until';
import { parkedTask } from '../../support/parked-tasks';

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
let dir: string;
const opened: LocalStepFunctions[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aios-compact-writes-'));
});
afterEach(() => {
  for (const sfn of opened.splice(0)) sfn.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(functions: FunctionRegistry): LocalStepFunctions {
  const sfn = openStepFunctions({ dataDir: dir, functions });
  opened.push(sfn);
  return sfn;
}

function eventTypes(sfn: LocalStepFunctions, executionArn: string): string[] {
  const row = sfn.store.getExecution(executionArn)!;
  return sfn.store.history(row.id, 0, 100_000, false).map((e) => e[2]);
}

test('a Map whose waiting children share one row resumes after a restart without invoking them again', async () => {
  const parked: { token: string; item: number }[] = [];
  const functions = new FunctionRegistry();
  functions.register('park', async (event) => {
    parked.push(event as { token: string; item: number });
    return null;
  });
  const definition = {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemProcessor: {
          StartAt: 'Ask',
          States: {
            Ask: {
              ...parkedTask({ 'item.$': '$' }),
              End: true,
            },
          },
        },
        End: true,
      },
    },
  };
  const first = open(functions);
  const { stateMachineArn } = (await first.service.handle('CreateStateMachine', { name: 'fan', definition: JSON.stringify(definition) })) as {
    stateMachineArn: string;
  };
  const { executionArn } = await first.engine.startExecution({ stateMachineArn, input: JSON.stringify([10, 11, 12, 13, 14]) });
  await until(() => eventTypes(first, executionArn).filter((t) => t === 'TaskSubmitted').length === 5);
  // The five children are one row, keyed by minus the largest child id; the root frame has its own.
  const rows = first.store.allFrames();
  expect(rows.map((r) => Math.sign(r.id)).sort()).toEqual([-1, 1]);
  const brood = rows.find((r) => r.id < 0)!;
  expect((JSON.parse(brood.body) as { idx: number }[]).map((c) => c.idx)).toEqual([0, 1, 2, 3, 4]);
  // No child was rewritten for its acceptance: the acceptance is its TaskSubmitted event.
  expect((JSON.parse(brood.body) as { task: { submitted: boolean } }[]).every((c) => !c.task.submitted)).toBe(true);
  opened.splice(opened.indexOf(first), 1);
  first.close();

  const second = open(functions);
  expect(second.engine.runningCount).toBe(1);
  // Every acceptance was committed before the restart: nothing is invoked again.
  await new Promise((r) => setTimeout(r, 50));
  expect(parked).toHaveLength(5);
  await Promise.all(parked.map((p) => second.engine.sendTaskSuccess(p.token, JSON.stringify(p.item * 2))));
  const row = await second.engine.waitForExecution(executionArn);
  expect([row.status, JSON.parse(row.output!)]).toEqual(['SUCCEEDED', [20, 22, 24, 26, 28]]);
  // The children's row went with the Map: nothing is left for a restart to read.
  expect(second.store.allFrames()).toEqual([]);
  const types = eventTypes(second, executionArn);
  expect(types.filter((t) => t === 'TaskSubmitted')).toHaveLength(5);
  expect(types.at(-1)).toBe('ExecutionSucceeded');
});

test('history kept in the execution row continues in the history table, in order, across a restart', async () => {
  let calls = 0;
  const parked: string[] = [];
  const functions = new FunctionRegistry();
  functions.register('step', async (n) => {
    calls++;
    return (n as number) + 1;
  });
  functions.register('park', async (event) => {
    parked.push((event as { token: string }).token);
    return null;
  });
  // Each Task result is its own batch: twelve of them write well past what the row keeps.
  const States: Record<string, unknown> = {};
  for (let i = 0; i < 12; i++) States[`Step${i}`] = { Type: 'Task', Resource: fn('step'), Next: i === 11 ? 'Wait' : `Step${i + 1}` };
  States.Wait = {
    ...parkedTask({ 'padding.$': 'States.ArrayRange(1, 40, 1)' }),
    ResultPath: null,
    Next: 'Done',
  };
  States.Done = { Type: 'Pass', End: true };
  const first = open(functions);
  const { stateMachineArn } = (await first.service.handle('CreateStateMachine', {
    name: 'long',
    definition: JSON.stringify({ StartAt: 'Step0', States }),
  })) as {
    stateMachineArn: string;
  };
  const { executionArn } = await first.engine.startExecution({ stateMachineArn, input: '0' });
  await until(() => eventTypes(first, executionArn).includes('TaskSubmitted'));
  const id = first.store.getExecution(executionArn)!.id;
  expect(
    first.store.db
      .prepare('SELECT COUNT(*) FROM history WHERE key >= ? AND key < ?')
      .pluck()
      .get(id * 2 ** 24, (id + 1) * 2 ** 24),
  ).toBeGreaterThan(0);
  expect(first.store.db.prepare('SELECT length(history) FROM executions WHERE id = ?').pluck().get(id)).toBeGreaterThan(0);
  const before = first.store.history(id, 0, 100_000, false);
  opened.splice(opened.indexOf(first), 1);
  first.close();

  const second = open(functions);
  await second.engine.sendTaskSuccess(parked[0], '{}');
  const row = await second.engine.waitForExecution(executionArn);
  expect([row.status, JSON.parse(row.output!)]).toEqual(['SUCCEEDED', 12]);
  expect(calls).toBe(12);
  const events = second.store.history(id, 0, 100_000, false);
  expect(events.map((e) => e[0])).toEqual(events.map((_, i) => i + 1));
  expect(events.slice(0, before.length)).toEqual(before);
  expect(events.at(-1)![2]).toBe('ExecutionSucceeded');
  // Paging backwards from the end crosses from the table back into the row.
  const backwards = second.store.history(id, events.length + 1, 100_000, true).map((e) => e[0]);
  expect(backwards).toEqual(events.map((e) => e[0]).reverse());
  expect(second.store.history(id, 5, 2, false).map((e) => e[0])).toEqual([6, 7]);
  expect(second.store.maxEventId(id)).toBe(events.length);
});
