/**
 * What names Step Functions' "Execution Status Change" event on EventBridge: the local engine sends it
 * (local/stepfunctions/status-change-event.ts), the run-end rule matches it (shared/deployment/run-end-rule.ts)
 * and emit-event reads it (events/aws-states.ts). One spelling for all three, so they cannot drift apart.
 */
export const EXECUTION_STATUS_CHANGE = { source: 'aws.states', detailType: 'Step Functions Execution Status Change' } as const;
