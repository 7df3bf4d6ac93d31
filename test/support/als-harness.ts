/**
 * Runs compiled ASL in aws-local-stepfunctions — an interpreter we did not
 * write — with every Task state overridden by a test handler (it would call
 * real AWS Lambda otherwise). Handlers are chosen by the Lambda function name
 * the Task invokes, so a test describes behaviour per function, not per state.
 */
import { StateMachine } from 'aws-local-stepfunctions';

export type FunctionHandler = (payload: Record<string, unknown>) => unknown;

interface TaskInfo {
  functionName: string;
}

function collectTasks(states: Record<string, Record<string, unknown>>, into: Map<string, TaskInfo>): void {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') {
      const fn = String((state.Parameters as { FunctionName?: string } | undefined)?.FunctionName ?? state.Resource);
      into.set(name, { functionName: fn.split(':').pop()! });
    }
    for (const branch of (state.Branches as { States: Record<string, Record<string, unknown>> }[] | undefined) ?? []) collectTasks(branch.States, into);
    const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, Record<string, unknown>> } | undefined;
    if (processor) collectTasks(processor.States, into);
  }
}

export interface HarnessRun {
  output: unknown;
  error?: { name: string; cause: string };
  calls: { fn: string; state: string; payload: Record<string, unknown> }[];
}

/** An error that surfaces in the state machine with `name` as its Error. */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * aws-local-stepfunctions reads TimeoutSecondsPath from the task's effective
 * input (after Parameters); the AWS documentation says the state input. Our
 * ASL follows the documentation and also passes the same value in the
 * Payload, so for this interpreter the path is pointed at that Payload copy.
 */
function adaptTimeoutPaths(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach(adaptTimeoutPaths);
  const o = node as Record<string, unknown>;
  if (typeof o.TimeoutSecondsPath === 'string') o.TimeoutSecondsPath = '$.Payload.timeoutSeconds';
  Object.values(o).forEach(adaptTimeoutPaths);
}

export async function runInAls(original: Record<string, unknown>, input: unknown, handlers: Record<string, FunctionHandler>): Promise<HarnessRun> {
  // A JSON copy, not structuredClone: under jest that makes objects of another realm, which the interpreter does not treat as plain objects.
  const definition = JSON.parse(JSON.stringify(original)) as Record<string, unknown>;
  adaptTimeoutPaths(definition);
  const tasks = new Map<string, TaskInfo>();
  collectTasks(definition.States as Record<string, Record<string, unknown>>, tasks);
  const calls: HarnessRun['calls'] = [];
  const overrides: Record<string, (input: { Payload: Record<string, unknown> }) => Promise<unknown>> = {};
  for (const [state, info] of tasks) {
    overrides[state] = async (taskInput) => {
      const handler = handlers[info.functionName];
      if (!handler) throw new Error(`no test handler for function ${info.functionName} (state "${state}")`);
      calls.push({ fn: info.functionName, state, payload: taskInput.Payload });
      const result = await handler(taskInput.Payload);
      // `.waitForTaskToken` tasks resume with the SendTaskSuccess output itself; plain invokes wrap it in Payload.
      const resource = String(findState(definition, state)?.Resource ?? '');
      return resource.endsWith('.waitForTaskToken') ? result : { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
    };
  }
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false, checkPaths: false } });
  const execution = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: overrides as never },
    context: { Execution: { Name: 'run-1', StartTime: '2026-11-24T10:00:00.000Z', RedriveCount: 0 }, Task: { Token: 'token-1' } } as never,
  });
  try {
    return { output: await execution.result, calls };
  } catch (error) {
    const e = error as { name?: string; message?: string; cause?: unknown; errorName?: string };
    return { output: undefined, error: { name: String(e.name), cause: String(e.message) }, calls };
  }
}

function findState(definition: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const states = definition.States as Record<string, Record<string, unknown>>;
  if (states[name]) return states[name];
  for (const state of Object.values(states)) {
    for (const branch of (state.Branches as Record<string, unknown>[] | undefined) ?? []) {
      const found = findState(branch, name);
      if (found) return found;
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
    if (processor) {
      const found = findState(processor, name);
      if (found) return found;
    }
  }
  return undefined;
}
