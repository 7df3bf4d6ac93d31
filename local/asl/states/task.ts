import { StatesRuntimeError } from '../errors';
import { effectiveInput, selectPath } from '../io';
import { NOT_FOUND, queryPath } from '../paths';
import type { StateEnv, StateStep, TaskCall } from '../step';
import { functionNameOf, parseTaskResource } from '../task-resource';
import type { JsonValue, StateDefinition } from '../types';

function secondsFrom(state: StateDefinition, field: 'TimeoutSeconds' | 'HeartbeatSeconds', input: JsonValue): number | null {
  const fixed = state[field];
  if (fixed !== undefined) return fixed;
  const path = state[`${field}Path`];
  if (path === undefined) return null;
  const value = queryPath(path, input);
  if (value === NOT_FOUND || typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new StatesRuntimeError(`The ${field}Path '${path}' must select a positive integer in '${JSON.stringify(input)}'`);
  }
  return value;
}

/** True when entering this Task must hand out a `$$.Task.Token`. */
export function needsTaskToken(state: StateDefinition): boolean {
  return typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken');
}

/** Task: builds the Lambda invocation; the engine runs it and calls back with the result. */
export function enterTask(state: StateDefinition, rawInput: JsonValue, env: StateEnv): StateStep {
  // Timeouts chosen at run time (TimeoutSecondsPath) read the input after InputPath.
  const selected = selectPath(state.InputPath, rawInput, 'InputPath', env.context as unknown as JsonValue);
  const timeoutSeconds = secondsFrom(state, 'TimeoutSeconds', selected);
  const heartbeatSeconds = secondsFrom(state, 'HeartbeatSeconds', selected);
  const input = effectiveInput(state, rawInput, env.context as unknown as JsonValue);
  return { kind: 'task', call: taskCall(state, input, timeoutSeconds, heartbeatSeconds) };
}

/** The Lambda invocation for a Task whose effective input (Parameters or Arguments) is `input`. */
export function taskCall(state: StateDefinition, input: JsonValue, timeoutSeconds: number | null, heartbeatSeconds: number | null): TaskCall {
  const resource = parseTaskResource(state.Resource ?? '');
  if (!resource) throw new StatesRuntimeError(`Unsupported Task resource ${state.Resource}`);
  let functionName: string;
  let payload: JsonValue;
  if (resource.kind === 'invoke') {
    const params = input as Record<string, JsonValue> | null;
    const name = params && typeof params === 'object' && !Array.isArray(params) ? params.FunctionName : undefined;
    if (typeof name !== 'string')
      throw new StatesRuntimeError(`lambda:invoke needs ${state.QueryLanguage === 'JSONata' ? 'Arguments' : 'Parameters'}.FunctionName`);
    functionName = functionNameOf(name);
    payload = params!.Payload === undefined ? {} : params!.Payload;
  } else {
    functionName = resource.functionName!;
    payload = input;
  }
  return { functionName, payload, kind: resource.kind, waitForTaskToken: resource.waitForTaskToken, timeoutSeconds, heartbeatSeconds };
}

/** The task result as the state sees it: lambda:invoke wraps the payload in its response shape. */
export function taskResult(call: TaskCall, value: JsonValue, requestId: string): JsonValue {
  if (call.kind !== 'invoke' || call.waitForTaskToken) return value;
  return {
    ExecutedVersion: '$LATEST',
    Payload: value,
    SdkHttpMetadata: {
      AllHttpHeaders: {
        'X-Amz-Executed-Version': ['$LATEST'],
        'x-amzn-Remapped-Content-Length': ['0'],
        Connection: ['keep-alive'],
        'x-amzn-RequestId': [requestId],
        'Content-Type': ['application/json'],
      },
      HttpHeaders: {
        Connection: 'keep-alive',
        'Content-Type': 'application/json',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-Remapped-Content-Length': '0',
        'x-amzn-RequestId': requestId,
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}
