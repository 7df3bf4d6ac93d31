/** JSON values as they flow between states. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type StateType = 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  /** JSONata: the state output after the catch (default `$states.errorOutput`). */
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
}

/** A state as written in ASL; fields not used by a type are simply absent. */
export interface StateDefinition {
  Type: StateType;
  Comment?: string;
  /** Resolved per state when the definition is loaded (see query-language.ts). */
  QueryLanguage?: 'JSONPath' | 'JSONata';
  /** JSONata: the task's or branches' input (in place of InputPath and Parameters). */
  Arguments?: JsonValue;
  /** JSONata: the state output (in place of ResultSelector, ResultPath and OutputPath). */
  Output?: JsonValue;
  /** Workflow variables the state sets, in either query language. */
  Assign?: Record<string, JsonValue>;
  /** JSONata Map: the items (an array or an expression). */
  Items?: JsonValue;
  Next?: string;
  End?: boolean;
  InputPath?: string | null;
  OutputPath?: string | null;
  ResultPath?: string | null;
  Parameters?: JsonValue;
  ResultSelector?: JsonValue;
  Result?: JsonValue;
  // Task
  Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
  // Choice
  Choices?: ChoiceRule[];
  Default?: string;
  // Wait
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  // Fail
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
  // Parallel
  Branches?: MachineDefinition[];
  // Map
  ItemsPath?: string;
  ItemSelector?: JsonValue;
  ItemProcessor?: MachineDefinition;
  Iterator?: MachineDefinition;
  MaxConcurrency?: number;
  MaxConcurrencyPath?: string;
  ToleratedFailureCount?: number;
  ToleratedFailureCountPath?: string;
  ToleratedFailurePercentage?: number;
  ToleratedFailurePercentagePath?: string;
  [other: string]: unknown;
}

export interface ChoiceRule {
  Variable?: string;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
  Next?: string;
  [operator: string]: unknown;
}

export interface MachineDefinition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  Comment?: string;
  Version?: string;
  TimeoutSeconds?: number;
  QueryLanguage?: string;
  [other: string]: unknown;
}

/** The `$$` context object (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html). */
export interface ContextObject {
  Execution: { Id: string; Input: JsonValue; Name: string; RoleArn: string; StartTime: string; RedriveCount: number };
  State: { EnteredTime: string; Name: string; RetryCount: number };
  StateMachine: { Id: string; Name: string };
  Task?: { Token: string };
  /** Source: where the item came from; `STATE_DATA` for an inline Map's state input (AWS context object page). */
  Map?: { Item: { Index: number; Value: JsonValue; Source?: string } };
}
