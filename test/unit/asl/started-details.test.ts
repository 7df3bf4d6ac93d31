/**
 * A new execution's ExecutionStarted is written with its details left out (its row holds its input, role and machine):
 * read back, it carries them in full, whether its first events stayed in the row or were too long for it.
 */
import { FunctionRegistry } from '../../../local/functions';
import { openStepFunctions } from '../../../local/stepfunctions';

const CHAIN = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } } };

type HistoryEvent = { type: string; executionStartedEventDetails?: Record<string, unknown> };

test.each([
  ['kept in its row', { n: 1 }],
  // ~3 KB of input, repeated by every state event of the first batch: far past what a row keeps, so it goes to the history table.
  ['too long for its row', { text: 'x'.repeat(3000) }],
])('ExecutionStarted reads back in full when its first events are %s', async (_where, input) => {
  const sfn = openStepFunctions({ dataDir: ':memory:', functions: new FunctionRegistry() });
  try {
    const { stateMachineArn } = (await sfn.service.handle('CreateStateMachine', { name: 'chain', definition: JSON.stringify(CHAIN) })) as {
      stateMachineArn: string;
    };
    const inputText = JSON.stringify(input);
    const { executionArn } = await sfn.engine.startExecution({ stateMachineArn, input: inputText });
    expect((await sfn.engine.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    const row = sfn.store.db.prepare('SELECT history FROM executions').pluck().get() as string | null;
    const spilled = sfn.store.db.prepare('SELECT COUNT(*) FROM history').pluck().get() as number;
    if (inputText.length > 1000) {
      expect(row).toBeNull();
      expect(spilled).toBe(1);
    } else {
      expect(row).toContain('\t*e\n');
      expect(spilled).toBe(0);
    }
    const { events } = (await sfn.service.handle('GetExecutionHistory', { executionArn })) as { events: HistoryEvent[] };
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[0].executionStartedEventDetails).toEqual({
      input: inputText,
      inputDetails: { truncated: false },
      roleArn: expect.stringContaining(':role/'),
      stateMachineArn,
    });
  } finally {
    sfn.close();
  }
});
