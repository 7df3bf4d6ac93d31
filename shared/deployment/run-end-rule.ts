/**
 * The rule that lets a run's trail say how it ended when its workflow could
 * not: Step Functions sends "Execution Status Change" events to the account's
 * default bus; this rule sends the deployment's own executions' ends that no
 * end step of theirs records (stopped, timed out, failed past every Catch, or
 * in an end step itself) to `aios-emit-event`, which appends `run.ended` once
 * (events/execution-ended.ts). SUCCEEDED is left out: only the workflow's own
 * last steps reach it, and they record it. CDK renders it on the default bus,
 * the local runtime installs it on its own default bus, which its engine
 * sends the same events to.
 */
import { EXECUTION_STATUS_CHANGE } from '../contracts/execution-status-change';
import type { SystemFunctionId } from './function-specs';

export interface RunEndRulePlan {
  /** The function the rule invokes. */
  functionId: SystemFunctionId;
  /** The end statuses it routes. */
  statuses: readonly string[];
  description: string;
}

export const RUN_END_RULE: RunEndRulePlan = {
  functionId: 'emit-event',
  statuses: ['FAILED', 'TIMED_OUT', 'ABORTED'],
  description: "records in a run's audit trail how it ended when its workflow could not (stopped, timed out, failed past every Catch)",
};

/**
 * The rule's pattern (EventBridge JSON) over the deployment's state machines.
 *
 * @example runEndPattern(['arn:aws:states:us-east-1:111122223333:stateMachine:aios-support-desk'])
 */
export function runEndPattern(stateMachineArns: readonly string[], rule: RunEndRulePlan = RUN_END_RULE): Record<string, unknown> {
  return {
    source: [EXECUTION_STATUS_CHANGE.source],
    'detail-type': [EXECUTION_STATUS_CHANGE.detailType],
    detail: { stateMachineArn: [...stateMachineArns], status: [...rule.statuses] },
  };
}
