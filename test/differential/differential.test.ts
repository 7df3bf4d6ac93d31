/**
 * Differential test: every corpus definition runs on our durable engine and on
 * aws-local-stepfunctions; outcomes must be equal. Where the other interpreter
 * and AWS's documentation disagree, the case carries the documented outcome
 * and we follow it (see corpus.ts).
 */
import { StateMachine } from 'aws-local-stepfunctions';
import { FunctionRegistry } from '../../local/functions';
import { openStepFunctions, type LocalStepFunctions } from '../../local/stepfunctions';
import { CORPUS, FUNCTIONS, type Case, type Outcome } from './corpus';

// The setup runs the whole corpus on both interpreters at once: generous for a loaded CI machine.
jest.setTimeout(180_000);

/** Lambda reports Cause as JSON {errorMessage, errorType, trace}; compare its message. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Cause' && typeof v === 'string' && v.startsWith('{"errorMessage"')) out[k] = (JSON.parse(v) as { errorMessage: string }).errorMessage;
      else out[k] = normalize(v);
    }
    return out;
  }
  return value;
}

function taskOverrides(definition: Record<string, unknown>): Record<string, (input: unknown) => Promise<unknown>> {
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const walk = (machine: { States?: Record<string, Record<string, unknown>> }): void => {
    for (const [name, state] of Object.entries(machine.States ?? {})) {
      if (state.Type === 'Task') {
        const fnName = String(state.Resource).split(':').pop()!;
        handlers[name] = async (input) => (await FUNCTIONS[fnName](input)) ?? null;
      }
      for (const b of (state.Branches as object[] | undefined) ?? []) walk(b);
      const processor = (state.ItemProcessor ?? state.Iterator) as object | undefined;
      if (processor) walk(processor);
    }
  };
  walk(definition as never);
  return handlers;
}

async function runOnPeer(c: Case): Promise<Outcome> {
  const machine = new StateMachine(c.definition as never, { validationOptions: { checkArn: false } });
  const execution = machine.run(c.input as never, { overrides: { taskResourceLocalHandlers: taskOverrides(c.definition) as never } });
  try {
    return { status: 'SUCCEEDED', output: normalize(await execution.result) };
  } catch (error) {
    const cause = (error as { cause?: { name?: string; message?: string } }).cause ?? (error as Error);
    return { status: 'FAILED', error: String(cause.name) };
  }
}

let sfn: LocalStepFunctions;
const ours = new Map<string, Outcome>();
const peer = new Map<string, Outcome>();

beforeAll(async () => {
  const functions = new FunctionRegistry();
  for (const [name, handler] of Object.entries(FUNCTIONS)) functions.register(name, handler);
  sfn = openStepFunctions({ dataDir: ':memory:', functions });
  // All cases run concurrently on both interpreters: a few wait or retry for a second.
  await Promise.all(
    CORPUS.map(async (c, i) => {
      const { stateMachineArn } = (await sfn.service.handle('CreateStateMachine', { name: `case-${i}`, definition: JSON.stringify(c.definition) })) as {
        stateMachineArn: string;
      };
      const { executionArn } = await sfn.engine.startExecution({ stateMachineArn, input: JSON.stringify(c.input) });
      const row = await sfn.engine.waitForExecution(executionArn);
      ours.set(
        c.name,
        row.status === 'SUCCEEDED' ? { status: 'SUCCEEDED', output: normalize(JSON.parse(row.output!)) } : { status: 'FAILED', error: row.error ?? '' },
      );
    }),
  );
  await Promise.all(CORPUS.filter((c) => !c.engineOnly).map(async (c) => peer.set(c.name, await runOnPeer(c))));
});

afterAll(() => sfn?.close());

test('the corpus has at least 80 definitions', () => {
  expect(CORPUS.length).toBeGreaterThanOrEqual(80);
  expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
});

test.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  const mine = ours.get(c.name)!;
  const strip = (o: Outcome): Outcome => (o.status === 'FAILED' ? { status: 'FAILED', error: o.error } : o);
  if (c.engineOnly) {
    expect(mine).toEqual(strip(c.engineOnly.expected));
    return;
  }
  if (c.docs) {
    expect(mine).toEqual(strip(c.docs.expected));
    expect(peer.get(c.name)).not.toEqual(mine); // still a disagreement? otherwise drop the note
    return;
  }
  expect(mine).toEqual(peer.get(c.name));
});
