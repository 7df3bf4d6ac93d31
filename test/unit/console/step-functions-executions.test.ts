/**
 * The console's Step Functions adapter finds a run by its id in each
 * workflow's state machine; told the workflow (an approval names it), it asks
 * that one first: one DescribeExecution instead of one per workflow before it.
 */
import { DescribeExecutionCommand, ExecutionDoesNotExist, type SFNClient } from '@aws-sdk/client-sfn';
import { stepFunctionsExecutions } from '../../../functions/console/adapters/step-functions-executions';

const ARN = (id: string) => `arn:aws:states:us-east-1:000000000000:stateMachine:${id}`;

function adapter() {
  const asked: string[] = [];
  const sfn = {
    async send(command: DescribeExecutionCommand) {
      const arn = command.input.executionArn!;
      asked.push(arn.split(':')[6]);
      if (!arn.includes(':weekly-review:')) throw new ExecutionDoesNotExist({ message: 'no', $metadata: {} });
      return { executionArn: arn, stateMachineArn: ARN('weekly-review'), name: 'run-1', status: 'SUCCEEDED', startDate: new Date(0) };
    },
  } as unknown as SFNClient;
  const ids = ['support-desk', 'sales-follow-up', 'weekly-review'];
  return { asked, port: stepFunctionsExecutions(sfn, ids, Object.fromEntries(ids.map((id) => [id, ARN(id)]))) };
}

test('a run found by id alone is looked for in each workflow in turn; with its workflow, there first', async () => {
  const alone = adapter();
  expect((await alone.port.find('run-1'))?.workflowId).toBe('weekly-review');
  expect(alone.asked).toEqual(['support-desk', 'sales-follow-up', 'weekly-review']);

  const told = adapter();
  expect((await told.port.find('run-1', 'weekly-review'))?.workflowId).toBe('weekly-review');
  expect(told.asked).toEqual(['weekly-review']);

  // A wrong hint still finds it, in the others.
  const wrong = adapter();
  expect((await wrong.port.find('run-1', 'sales-follow-up'))?.runId).toBe('run-1');
  expect(wrong.asked).toEqual(['sales-follow-up', 'support-desk', 'weekly-review']);
});
