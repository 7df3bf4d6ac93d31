/**
 * The same workflow written in JSONPath and in JSONata must give the same
 * output. fast-check draws an input and a chain of steps; each step has a
 * JSONPath rendering and a JSONata rendering; both machines run on the engine.
 */
import fc from 'fast-check';
import { FunctionRegistry } from '../../local/functions';
import { openStepFunctions, type LocalStepFunctions } from '../../local/stepfunctions';

type Step = { path: Record<string, unknown>[]; ata: Record<string, unknown>[] };
const KEYS = ['a', 'b', 'c'] as const;

/** Each step keeps the input an object with numeric a, b, c, a string s and an array xs (plus whatever it adds). */
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ from: fc.constantFrom(...KEYS), to: fc.constantFrom('p', 'q') }).map(({ from, to }) => ({
    path: [{ Type: 'Pass', InputPath: `$.${from}`, ResultPath: `$.${to}` }],
    ata: [{ Type: 'Pass', Output: `{% $merge([$states.input, {"${to}": $states.input.${from}}]) %}` }],
  })),
  fc.record({ x: fc.constantFrom(...KEYS), y: fc.constantFrom(...KEYS) }).map(({ x, y }) => ({
    path: [{ Type: 'Pass', Parameters: { 'v.$': `States.MathAdd($.${x}, $.${y})` }, ResultPath: '$.sum' }],
    ata: [{ Type: 'Pass', Output: `{% $merge([$states.input, {"sum": {"v": $states.input.${x} + $states.input.${y}}}]) %}` }],
  })),
  fc.constantFrom(...KEYS).map((k) => ({
    path: [{ Type: 'Pass', Parameters: { 'v.$': `States.Format('{}:{}', $.s, $.${k})` }, ResultPath: '$.label' }],
    ata: [{ Type: 'Pass', Output: `{% $merge([$states.input, {"label": {"v": $states.input.s & ":" & $string($states.input.${k})}}]) %}` }],
  })),
  fc.record({ k: fc.constantFrom(...KEYS), limit: fc.integer({ min: -50, max: 50 }) }).map(({ k, limit }) => ({
    path: [{ Type: 'Choice', Choices: [{ Variable: `$.${k}`, NumericGreaterThan: limit, Next: 'high' }], Default: 'low' }],
    ata: [{ Type: 'Choice', Choices: [{ Condition: `{% $states.input.${k} > ${limit} %}`, Next: 'high' }], Default: 'low' }],
  })),
  fc.constantFrom(...KEYS).map((k) => ({
    path: [
      { Type: 'Pass', Assign: { 'kept.$': `$.${k}` } },
      { Type: 'Pass', Parameters: { 'v.$': '$kept' }, ResultPath: '$.fromVariable' },
    ],
    ata: [
      { Type: 'Pass', Assign: { kept: `{% $states.input.${k} %}` } },
      { Type: 'Pass', Output: '{% $merge([$states.input, {"fromVariable": {"v": $kept}}]) %}' },
    ],
  })),
  fc.constant<Step>({
    path: [
      {
        Type: 'Map',
        ItemsPath: '$.xs',
        ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' },
        ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
        ResultPath: '$.mapped',
      },
    ],
    ata: [
      {
        Type: 'Map',
        Items: '{% $states.input.xs %}',
        ItemSelector: { v: '{% $states.context.Map.Item.Value %}', i: '{% $states.context.Map.Item.Index %}' },
        ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
        Output: '{% $merge([$states.input, {"mapped": $states.result}]) %}',
      },
    ],
  }),
);

/** Chains the states; a Choice branches to two tails that tag the output. */
function machine(steps: Record<string, unknown>[][], jsonata: boolean): object {
  const states: Record<string, Record<string, unknown>> = {};
  const flat = steps.flat();
  const name = (i: number) => (i < flat.length ? `S${i}` : 'End');
  flat.forEach((s, i) => {
    const state = { ...s };
    if (state.Type === 'Choice') {
      // Each branch tags the output and rejoins the chain.
      const next = name(i + 1);
      const tag = (label: string) =>
        jsonata
          ? { Type: 'Pass', Output: `{% $merge([$states.input, {"branch": "${label}"}]) %}`, Next: next }
          : { Type: 'Pass', Result: label, ResultPath: '$.branch', Next: next };
      states[`S${i}high`] = tag('high');
      states[`S${i}low`] = tag('low');
      state.Choices = (state.Choices as Record<string, unknown>[]).map((c) => ({ ...c, Next: `S${i}high` }));
      state.Default = `S${i}low`;
    } else state.Next = name(i + 1);
    states[`S${i}`] = state;
  });
  states.End = { Type: 'Succeed' };
  return { ...(jsonata ? { QueryLanguage: 'JSONata' } : {}), StartAt: flat.length ? 'S0' : 'End', States: states };
}

let sfn: LocalStepFunctions;
beforeAll(() => {
  sfn = openStepFunctions({ dataDir: ':memory:', functions: new FunctionRegistry() });
});
afterAll(() => sfn.close());

let count = 0;
async function run(definition: object, input: unknown): Promise<{ status: string; output: unknown; error: string | null }> {
  const { stateMachineArn } = (await sfn.service.handle('CreateStateMachine', { name: `eq${++count}`, definition: JSON.stringify(definition) })) as {
    stateMachineArn: string;
  };
  const { executionArn } = await sfn.engine.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  const row = await sfn.engine.waitForExecution(executionArn);
  return { status: row.status, output: row.output === null ? null : JSON.parse(row.output), error: row.error };
}

test('a workflow and its JSONata translation give the same output', async () => {
  const input = fc.record({
    a: fc.integer({ min: -100, max: 100 }),
    b: fc.integer({ min: -100, max: 100 }),
    c: fc.integer({ min: -100, max: 100 }),
    s: fc.string({ maxLength: 8 }),
    xs: fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.boolean()), { maxLength: 4 }),
  });
  await fc.assert(
    fc.asyncProperty(input, fc.array(step, { maxLength: 5 }), async (value, steps) => {
      const viaPath = await run(
        machine(
          steps.map((s) => s.path),
          false,
        ),
        value,
      );
      const viaJsonata = await run(
        machine(
          steps.map((s) => s.ata),
          true,
        ),
        value,
      );
      expect(viaJsonata).toEqual(viaPath);
      expect(viaPath.status).toBe('SUCCEEDED');
    }),
    { numRuns: 40 },
  );
});
