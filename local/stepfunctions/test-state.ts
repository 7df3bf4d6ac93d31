/**
 * TestState (`AWSStepFunctions.TestState`): one state run in isolation with an
 * input, optional variables, a mocked task result or error, and the inspection
 * levels AWS documents. Nothing is stored; a Task without a mock invokes the
 * registered function once.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html
 */
import { randomUUID } from 'node:crypto';
import { validateDefinition } from '../asl/definition';
import { StatesError, TaskError, toStatesError } from '../asl/errors';
import { completeState, enterState } from '../asl/executor';
import { applyResultPath, assignFromPaths, effectiveInput, selectPath, selectResult } from '../asl/io';
import { evaluateTemplate } from '../asl/jsonata/expression';
import { catchJsonataError, completeJsonataState, enterJsonataState } from '../asl/jsonata/states';
import { isJsonata, resolveQueryLanguages } from '../asl/query-language';
import { decideRetry, findCatcher } from '../asl/retry';
import { taskResult } from '../asl/states/task';
import type { StateEnv, StateStep } from '../asl/step';
import type { ContextObject, JsonValue, MachineDefinition, StateDefinition } from '../asl/types';
import { variablesOf, withVariables } from '../asl/variables';
import type { FunctionRegistry } from '../functions';
import type { ArnScope } from './arns';
import { sfnErrors } from './errors';
import { checkMock } from './test-state-mock';

export interface TestStateRequest {
  definition?: unknown;
  roleArn?: unknown;
  input?: unknown;
  inspectionLevel?: unknown;
  variables?: unknown;
  stateName?: unknown;
  mock?: { result?: unknown; errorOutput?: { error?: unknown; cause?: unknown }; fieldValidationMode?: unknown };
  context?: unknown;
  stateConfiguration?: { retrierRetryCount?: unknown };
}

type Status = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';

interface Inspection {
  input?: string;
  afterInputPath?: string;
  afterParameters?: string;
  afterArguments?: string;
  result?: string;
  afterResultSelector?: string;
  afterResultPath?: string;
  afterItemSelector?: string;
  variables?: string;
  errorDetails?: { retryIndex?: number; retryBackoffIntervalSeconds?: number; catchIndex?: number };
}

export interface TestStateResponse {
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  status: Status;
  inspectionData?: Inspection;
}

const LEVELS = new Set(['INFO', 'DEBUG', 'TRACE']);
const DEFAULT_ROLE = 'arn:aws:iam::123456789012:role/TestState';

function parseJson(text: unknown, field: string): JsonValue {
  if (typeof text !== 'string') throw sfnErrors.validation(`'${field}' must be a JSON string`);
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw sfnErrors.validation(`Invalid '${field}': ${(error as Error).message}`);
  }
}

function invalidDefinition(diagnostics: { code: string; message: string; location: string }[]): Error {
  return sfnErrors.invalidDefinition(
    `Invalid State Machine Definition: '${diagnostics.map((d) => `${d.code}: ${d.message} at ${d.location || '/'}`).join(', ')}'`,
  );
}

/** Every state a single-state definition may transition to, as a stand-in Succeed, so the usual checks apply. */
function wrapState(state: Record<string, unknown>): MachineDefinition {
  const targets = new Set<string>();
  const add = (t: unknown) => typeof t === 'string' && targets.add(t);
  add(state.Next);
  add(state.Default);
  for (const r of (state.Choices as { Next?: unknown }[] | undefined) ?? []) add(r.Next);
  for (const c of (state.Catch as { Next?: unknown }[] | undefined) ?? []) add(c.Next);
  const name = targets.has('TestState') ? 'TestState-' + randomUUID() : 'TestState';
  const states: Record<string, unknown> = { [name]: state };
  for (const t of targets) if (t !== name) states[t] = { Type: 'Succeed' };
  return { StartAt: name, States: states } as unknown as MachineDefinition;
}

function stateToTest(request: TestStateRequest): { state: StateDefinition; name: string } {
  const parsed = parseJson(request.definition, 'definition');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw sfnErrors.invalidDefinition("Invalid State Machine Definition: 'the definition must be a JSON object'");
  const machine = request.stateName !== undefined ? (parsed as unknown as MachineDefinition) : wrapState(parsed as Record<string, unknown>);
  const { diagnostics } = validateDefinition(JSON.stringify(machine));
  if (diagnostics.length) throw invalidDefinition(diagnostics);
  resolveQueryLanguages(machine);
  const name = request.stateName !== undefined ? String(request.stateName) : machine.StartAt;
  const state = machine.States[name];
  if (!state) throw sfnErrors.validation(`The state '${name}' is not in the definition's top-level States`);
  return { state, name };
}

const text = (v: JsonValue | undefined): string | undefined => (v === undefined ? undefined : JSON.stringify(v));

/** Runs one state as TestState does; throws API errors for bad requests, reports state failures in the response. */
export async function testState(request: TestStateRequest, functions: FunctionRegistry, scope: ArnScope): Promise<TestStateResponse> {
  const level = request.inspectionLevel === undefined ? 'INFO' : String(request.inspectionLevel);
  if (!LEVELS.has(level)) throw sfnErrors.validation(`Invalid inspectionLevel '${level}': use INFO, DEBUG or TRACE`);
  const { state, name } = stateToTest(request);
  const mock = request.mock;
  // AWS's answer for a Map or Parallel without a mock (recorded in LocalStack's TestState snapshots).
  if (!mock && (state.Type === 'Map' || state.Type === 'Parallel')) {
    throw sfnErrors.invalidDefinition(
      'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]',
    );
  }
  const mockedResult = mock?.result === undefined ? undefined : parseJson(mock.result, 'mock.result');
  if (mock) checkMock(state, mock, mockedResult);
  if (request.context !== undefined && !mock) throw sfnErrors.validation('context may only be specified together with a mock');
  const input = request.input === undefined ? {} : parseJson(request.input, 'input');
  const variables = request.variables === undefined ? {} : parseJson(request.variables, 'variables');
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) throw sfnErrors.validation("'variables' must be a JSON object");

  const now = Date.now();
  const executionArn = `arn:aws:states:${scope.region}:${scope.accountId}:execution:TestStateMachine:${randomUUID()}`;
  const roleArn = typeof request.roleArn === 'string' ? request.roleArn : DEFAULT_ROLE;
  const baseContext: ContextObject =
    request.context !== undefined
      ? (parseJson(request.context, 'context') as unknown as ContextObject)
      : {
          Execution: {
            Id: executionArn,
            Input: input,
            Name: executionArn.split(':').pop()!,
            RoleArn: roleArn,
            StartTime: new Date(now).toISOString(),
            RedriveCount: 0,
          },
          State: { EnteredTime: new Date(now).toISOString(), Name: name, RetryCount: 0 },
          StateMachine: { Id: `arn:aws:states:${scope.region}:${scope.accountId}:stateMachine:TestStateMachine`, Name: 'TestStateMachine' },
        };
  if (state.Type === 'Task' && typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken') && !baseContext.Task)
    baseContext.Task = { Token: randomUUID() };
  const context = withVariables({ ...baseContext }, variables as Record<string, JsonValue>);
  const env: StateEnv = { now, context };
  const jsonata = isJsonata(state);
  const ctx = context as unknown as JsonValue;
  const inspection: Inspection = { input: text(input) };
  if (!jsonata) {
    try {
      inspection.afterInputPath = text(selectPath(state.InputPath, input, 'InputPath'));
      if (state.Parameters !== undefined) inspection.afterParameters = text(effectiveInput(state, input, ctx));
    } catch {
      // The step below reports the same failure.
    }
  } else if (state.Arguments !== undefined) {
    inspection.afterArguments = text(
      await evaluateTemplate(state.Arguments, { states: { input, context: ctx }, variables: variablesOf(context) }, 'Arguments').catch(() => undefined),
    );
  }

  let step = jsonata ? await enterJsonataState(state, input, env) : enterState(state, input, env);
  if (step.kind === 'task' || step.kind === 'parallel' || step.kind === 'map') {
    let outcome: { ok: true; value: JsonValue } | { ok: false; error: StatesError };
    if (mock?.errorOutput) outcome = { ok: false, error: new TaskError(String(mock.errorOutput.error ?? ''), String(mock.errorOutput.cause ?? '')) };
    else if (mock) outcome = { ok: true, value: mockedResult! };
    else if (step.kind !== 'task') throw sfnErrors.validation(`TestState runs a ${state.Type} state only with a mock of its result`);
    else if (step.call.waitForTaskToken) throw sfnErrors.validation('TestState cannot wait for a task token: give a mock of the result');
    else {
      const requestId = randomUUID();
      const invoked = await functions.invoke(step.call.functionName, step.call.payload, { requestId, timeoutMs: (step.call.timeoutSeconds ?? 60) * 1000 });
      outcome = invoked.ok
        ? { ok: true, value: taskResult(step.call, invoked.payload as JsonValue, requestId) }
        : { ok: false, error: new TaskError(invoked.failure.error, invoked.failure.cause) };
    }
    if (step.kind === 'map' && step.itemInputs) inspection.afterItemSelector = text(step.itemInputs);
    if (outcome.ok) {
      inspection.result = text(outcome.value);
      if (!jsonata) {
        try {
          const selected = selectResult(state, outcome.value, ctx);
          if (state.ResultSelector !== undefined) inspection.afterResultSelector = text(selected);
          inspection.afterResultPath = text(applyResultPath(state.ResultPath, input, selected));
        } catch {
          // Reported by completeState.
        }
      }
      step = jsonata ? await completeJsonataState(state, input, outcome.value, env) : completeState(state, input, outcome.value, env);
    } else step = { kind: 'fail', error: outcome.error };
  }
  return answer(state, input, step, env, request, level, inspection);
}

async function answer(
  state: StateDefinition,
  input: JsonValue,
  step: StateStep,
  env: StateEnv,
  request: TestStateRequest,
  level: string,
  inspection: Inspection,
): Promise<TestStateResponse> {
  const variables = { ...variablesOf(env.context) };
  const withInspection = (response: TestStateResponse): TestStateResponse =>
    level === 'INFO' ? response : { ...response, inspectionData: { ...inspection, variables: JSON.stringify(variables) } };
  if (step.kind === 'next' || step.kind === 'wait') {
    Object.assign(variables, step.assign ?? {});
    const next = step.kind === 'next' ? step.next : state.End ? null : (state.Next ?? null);
    return withInspection({ status: 'SUCCEEDED', output: JSON.stringify(step.output), ...(next ? { nextState: next } : {}) });
  }
  if (step.kind !== 'fail')
    return withInspection({ status: 'FAILED', error: 'States.Runtime', cause: `TestState cannot run a ${state.Type} state's ${step.kind} step` });
  const error = step.error;
  const retried = Number(request.stateConfiguration?.retrierRetryCount ?? 0);
  const attempts: number[] = [];
  const retry = decideRetry(state.Retry, error.name, attempts, () => 1);
  if (retry.retry) {
    const retrier = state.Retry![retry.retrierIndex];
    if (retried < (retrier.MaxAttempts ?? 3)) {
      const again = decideRetry(state.Retry, error.name, [...Array(retry.retrierIndex).fill(0), retried], () => 1);
      const seconds = again.retry ? again.delayMs / 1000 : 0;
      inspection.errorDetails = { retryIndex: retry.retrierIndex, retryBackoffIntervalSeconds: seconds };
      return withInspection({ status: 'RETRIABLE', error: error.name, cause: error.causeText });
    }
  }
  const catcher = findCatcher(state.Catch, error.name);
  if (catcher) {
    const catchIndex = state.Catch!.indexOf(catcher);
    inspection.errorDetails = { catchIndex };
    try {
      let output: JsonValue;
      if (isJsonata(state)) {
        const caught = await catchJsonataError(catcher, input, error, env);
        if (caught.kind === 'fail') throw caught.error;
        output = caught.output;
        Object.assign(variables, caught.assign ?? {});
      } else {
        const errorOutput = { Error: error.name, Cause: error.causeText };
        output = applyResultPath(catcher.ResultPath, input, errorOutput);
        if (catcher.Assign !== undefined) Object.assign(variables, assignFromPaths(catcher.Assign, errorOutput, env.context as unknown as JsonValue));
      }
      return withInspection({ status: 'CAUGHT_ERROR', error: error.name, cause: error.causeText, output: JSON.stringify(output), nextState: catcher.Next });
    } catch (failure) {
      const e = toStatesError(failure);
      return withInspection({ status: 'FAILED', error: e.name, cause: e.causeText });
    }
  }
  return withInspection({ status: 'FAILED', error: error.name, cause: error.causeText });
}
