/** The console's `ExecutionsPort` on Step Functions (AWS, or the local runtime's compatible API). */
import { DescribeExecutionCommand, ExecutionDoesNotExist, ListExecutionsCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionsPort, RunDetail, RunStatus, RunSummary } from '../../../shared/console/ports';
import { machineName } from '../../../shared/run-timeline';
import { fullExecutionHistory } from '../../../shared/aws/sfn-history';

function summary(e: { executionArn?: string; stateMachineArn?: string; name?: string; status?: string; startDate?: Date; stopDate?: Date }): RunSummary {
  return {
    runId: e.name ?? '?',
    workflowId: machineName(e.stateMachineArn ?? e.executionArn?.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, '')),
    status: (e.status ?? 'RUNNING') as RunStatus,
    startedAt: e.startDate ?? new Date(0),
    ...(e.stopDate ? { stoppedAt: e.stopDate } : {}),
    executionArn: e.executionArn ?? '',
  };
}

/**
 * `known`: each workflow's state machine ARN, as the deployment says
 * (`AIOS_CONSOLE_TRIGGERS`): no ListStateMachines, which IAM cannot narrow to resources.
 */
export function stepFunctionsExecutions(sfn: SFNClient, workflowIds: readonly string[], known: Readonly<Record<string, string>>): ExecutionsPort {
  const machines = workflowIds.filter((id) => known[id]).map((id) => ({ id, arn: known[id] }));
  const workflows = async () => machines;

  async function describe(executionArn: string): Promise<RunDetail | undefined> {
    try {
      const e = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return {
        ...summary(e),
        ...(e.input ? { input: e.input } : {}),
        ...(e.output ? { output: e.output } : {}),
        ...(e.error ? { error: e.error } : {}),
        ...(e.cause ? { cause: e.cause } : {}),
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist || (error as { name?: string }).name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  }

  return {
    workflows,
    async list(stateMachineArn, o) {
      const page = await sfn.send(
        new ListExecutionsCommand({
          stateMachineArn,
          maxResults: o.max,
          ...(o.status ? { statusFilter: o.status } : {}),
          ...(o.nextToken ? { nextToken: o.nextToken } : {}),
        }),
      );
      return { runs: (page.executions ?? []).map(summary), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
    describe,
    async find(runId, workflowId) {
      if (!/^[A-Za-z0-9_.:-]{1,80}$/.test(runId)) return undefined;
      const first = machines.filter((m) => m.id === workflowId);
      for (const m of [...first, ...machines.filter((m) => m.id !== workflowId)]) {
        const detail = await describe(`${m.arn.replace(':stateMachine:', ':execution:')}:${runId}`);
        if (detail) return detail;
      }
      return undefined;
    },
    history: (executionArn) => fullExecutionHistory(sfn, executionArn),
    async stop(executionArn, cause) {
      await sfn.send(new StopExecutionCommand({ executionArn, error: 'Console.Stopped', cause: cause.slice(0, 32_000) }));
    },
  };
}
