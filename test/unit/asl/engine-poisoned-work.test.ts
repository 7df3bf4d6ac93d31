/**
 * Issue 18, defect 4: one work item that throws inside the engine's batch
 * fails alone. Its request gets an error answer, its execution fails with
 * States.Runtime, and the rest of the batch (here an unrelated
 * SendTaskSuccess queued in the same tick) commits and goes on.
 */
import { FunctionRegistry } from '../../../local/functions';
import { openStepFunctions, type LocalStepFunctions } from '../../../local/stepfunctions';
import { untilTrue as until } from '../../support/until';

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
let sfn: LocalStepFunctions;

afterEach(() => sfn?.close());

/** A JSON text nested `levels` objects deep (parses fine; recursive walks over it overflow the stack). */
function nested(levels: number): string {
  return '{"a":'.repeat(levels) + '0' + '}'.repeat(levels);
}

async function machine(name: string, definition: object): Promise<string> {
  const out = (await sfn.service.handle('CreateStateMachine', { name, definition: JSON.stringify(definition) })) as { stateMachineArn: string };
  return out.stateMachineArn;
}

test('a start that throws inside the batch fails alone: an error answer, States.Runtime, and the rest of the batch commits', async () => {
  const tokens: string[] = [];
  const functions = new FunctionRegistry();
  functions.register('ask', async (event) => {
    tokens.push((event as { token: string }).token);
    return null;
  });
  sfn = openStepFunctions({ dataDir: ':memory:', functions });
  const waiting = await machine('waits', {
    StartAt: 'Ask',
    States: {
      Ask: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: fn('ask'), Payload: { 'token.$': '$$.Task.Token' } },
        End: true,
      },
    },
  });
  const copies = await machine('copies', { StartAt: 'Copy', States: { Copy: { Type: 'Pass', Parameters: { 'copy.$': '$' }, End: true } } });
  const { executionArn: waitingArn } = await sfn.engine.startExecution({ stateMachineArn: waiting });
  await until(() => tokens.length === 1 && sfn.engine.runningCount === 1);

  // Both in the same tick, so in the same batch: the poisoned start first.
  const poisoned = sfn.engine.startExecution({ stateMachineArn: copies, name: 'poisoned', input: nested(20_000) });
  const success = sfn.engine.sendTaskSuccess(tokens[0], JSON.stringify({ approved: true }));
  const [started, sent] = await Promise.allSettled([poisoned, success]);

  expect(started.status).toBe('rejected');
  expect((started as PromiseRejectedResult).reason).toMatchObject({ name: 'States.Runtime' });
  expect(sent.status).toBe('fulfilled');
  expect(await sfn.engine.waitForExecution(waitingArn)).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
  const failed = sfn.store.getExecution(waitingArn.replace(':waits:', ':copies:').replace(/:[^:]+$/, ':poisoned'))!;
  expect(failed).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  expect(failed.cause).toMatch(/call stack/i);
});
