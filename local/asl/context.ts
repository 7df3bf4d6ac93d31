import type { ContextObject, JsonValue } from './types';

/** Identity of the execution a state runs in, as the context object shows it. */
export interface ExecutionIdentity {
  executionArn: string;
  executionName: string;
  input: JsonValue;
  roleArn: string;
  startTime: string;
  stateMachineArn: string;
  stateMachineName: string;
}

/** Builds the `$$` object for one state attempt. */
export function contextObject(
  exec: ExecutionIdentity,
  state: { name: string; enteredTime: string; retryCount: number },
  extra: { taskToken?: string; mapItem?: { index: number; value: JsonValue } } = {},
): ContextObject {
  const ctx: ContextObject = {
    Execution: { Id: exec.executionArn, Input: exec.input, Name: exec.executionName, RoleArn: exec.roleArn, StartTime: exec.startTime, RedriveCount: 0 },
    State: { EnteredTime: state.enteredTime, Name: state.name, RetryCount: state.retryCount },
    StateMachine: { Id: exec.stateMachineArn, Name: exec.stateMachineName },
  };
  if (extra.taskToken !== undefined) ctx.Task = { Token: extra.taskToken };
  if (extra.mapItem) ctx.Map = { Item: { Index: extra.mapItem.index, Value: extra.mapItem.value, Source: 'STATE_DATA' } };
  return ctx;
}
