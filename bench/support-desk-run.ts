/**
 * One support-desk run with 4 agent turns and no approval, timed on a running
 * local runtime: the Zendesk sample ticket (whose replay recording searches
 * the policy, refunds $39 within the agent's own right, replies and ends)
 * started with StartExecution, one run after another. A run's time is the
 * engine's own, from its start to its close (DescribeExecution's startDate
 * and stopDate), so the slow polling that notices the end adds nothing to it;
 * each function call's time comes from the history (TaskStarted to
 * TaskSucceeded). Used by event-to-approval.bench.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { fullExecutionHistory } from '../shared/aws/sfn-history';

export interface SupportDeskRuns {
  /** Each measured run's time, start to close, in ms. */
  runs: number[];
  /** Each function call's time in ms, by function name. */
  calls: Map<string, number[]>;
  /** Runs that did not end SUCCEEDED with 4 turns and no approval (not counted above). */
  problems: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const THINK = 'Triage: think';

/** The function each call in the history ran, and how long it took (TaskStarted → TaskSucceeded). */
function functionCalls(history: HistoryEvent[]): { name: string; ms: number }[] {
  const byId = new Map(history.map((e) => [e.id!, e]));
  const calls: { name: string; ms: number }[] = [];
  for (const done of history) {
    if (done.type !== 'TaskSucceeded') continue;
    let started = byId.get(done.previousEventId!);
    while (started && started.type !== 'TaskStarted') started = byId.get(started.previousEventId!);
    const scheduled = started && byId.get(started.previousEventId!);
    if (!started || scheduled?.type !== 'TaskScheduled') continue;
    const parameters = JSON.parse(scheduled.taskScheduledEventDetails?.parameters ?? '{}') as { FunctionName?: string };
    calls.push({ name: (parameters.FunctionName ?? '?').replace(/^.*:function:/, ''), ms: done.timestamp!.getTime() - started.timestamp!.getTime() });
  }
  return calls;
}

/**
 * Runs `measured` support-desk runs after one warm-up. The example's rights let the agent refund
 * $500 a day alone, so at most 12 runs of $39 stay without approval in one runtime's day.
 */
export async function timeSupportDeskRuns(sfn: SFNClient, root: string, measured: number): Promise<SupportDeskRuns> {
  const sample = JSON.parse(readFileSync(path.join(root, 'events/samples/bus/zendesk.ticket-created.json'), 'utf8')) as {
    id: string;
    detail: Record<string, unknown>;
  };
  const machine = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.find((m) => m.name === 'support-desk');
  if (!machine?.stateMachineArn) throw new Error('the runtime has no support-desk state machine');
  const result: SupportDeskRuns = { runs: [], calls: new Map(), problems: [] };
  for (let i = 0; i <= measured; i++) {
    const input = { ...sample, id: `bench-ticket-${i}`, detail: { ...sample.detail, id: `bench-ticket-${i}` } };
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: JSON.stringify(input) }));
    const deadline = Date.now() + 30_000;
    let run = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    while (run.status === 'RUNNING' && Date.now() < deadline) {
      // Each poll costs the runtime a request while the run is going: few, since the run is timed by the engine.
      await sleep(100);
      run = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    }
    if (i === 0) continue;
    const history = await fullExecutionHistory(sfn, executionArn!);
    const entered = history.filter((e) => e.type === 'TaskStateEntered' || e.type === 'ChoiceStateEntered').map((e) => e.stateEnteredEventDetails?.name);
    const turns = entered.filter((name) => name === THINK).length;
    const approval = entered.some((name) => name?.includes('approval'));
    if (run.status !== 'SUCCEEDED' || turns !== 4 || approval) {
      result.problems.push(`${executionArn}: ${run.status}, ${turns} turns${approval ? ', waited on an approval' : ''}`);
      continue;
    }
    result.runs.push(run.stopDate!.getTime() - run.startDate!.getTime());
    for (const call of functionCalls(history)) result.calls.set(call.name, [...(result.calls.get(call.name) ?? []), call.ms]);
  }
  return result;
}
