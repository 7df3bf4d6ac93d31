/**
 * Frames are no longer indexed by execution: a restart reads them all at once,
 * continues each RUNNING execution from its own, and deletes the rows no
 * execution can use (left by an execution that is no longer running).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStepFunctions } from '../../../local/stepfunctions';
import { oneParkedTask, parkingFunctions } from '../../support/parked-tasks';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'aios-restart-frames-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a restart resumes waiting executions from their frames and drops frames of executions that are not running', async () => {
  const { functions, tokens } = parkingFunctions();
  const definition = oneParkedTask();
  const first = openStepFunctions({ dataDir: dir, functions });
  const { stateMachineArn } = (await first.service.handle('CreateStateMachine', { name: 'waits', definition: JSON.stringify(definition) })) as {
    stateMachineArn: string;
  };
  const arns = await Promise.all([1, 2].map(async () => (await first.engine.startExecution({ stateMachineArn })).executionArn));
  while (tokens.length < 2) await new Promise((r) => setTimeout(r, 5));
  expect(first.engine.executionOfToken(tokens[0])).toBe(arns[0]);
  // A row no execution owns (as a crash between two writes of an older version could leave).
  first.store.putFrame(999_999, `${arns[0]}-gone`, '{}');
  first.close();

  const second = openStepFunctions({ dataDir: dir, functions });
  try {
    expect(
      second.store
        .allFrames()
        .map((f) => f.exec)
        .sort(),
    ).toEqual([...arns].sort());
    expect(second.engine.executionOfToken(tokens[1])).toBe(arns[1]);
    // The restart invoked `park` again (its acceptance may not have been committed): same tokens, at least once.
    const waiting = tokens.slice(0, 2);
    await Promise.all(waiting.map((t, i) => second.engine.sendTaskSuccess(t, JSON.stringify({ i }))));
    const rows = await Promise.all(arns.map((a) => second.engine.waitForExecution(a)));
    expect(rows.map((r) => [r.status, JSON.parse(r.output!)])).toEqual([
      ['SUCCEEDED', { i: 0 }],
      ['SUCCEEDED', { i: 1 }],
    ]);
    // Closing deleted each execution's frame by its key.
    await new Promise((r) => setTimeout(r, 20));
    expect(second.store.allFrames()).toEqual([]);
    // A finished token is unknown; only a timed-out one would be kept.
    expect(second.engine.executionOfToken(waiting[0])).toBeUndefined();
  } finally {
    second.close();
  }
});
