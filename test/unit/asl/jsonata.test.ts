/**
 * JSONata as Step Functions runs it (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html)
 * and workflow variables (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html),
 * below the engine.
 */
import { createHash } from 'node:crypto';
import { validateDefinition } from '../../../local/asl/definition';
import { evaluateExpression, evaluateTemplate, expressionProblem, type QueryBindings } from '../../../local/asl/jsonata/expression';
import { resolveQueryLanguages } from '../../../local/asl/query-language';
import type { MachineDefinition } from '../../../local/asl/types';
import { checkAssignment, lookupPath, variableNameProblem, withVariables } from '../../../local/asl/variables';

const bindings = (input: unknown, variables: Record<string, unknown> = {}): QueryBindings => ({
  states: { input: input as never, context: { State: { Name: 'S' } } as never },
  variables: variables as never,
});
const evaluate = (text: string, input: unknown = {}, variables: Record<string, unknown> = {}) => evaluateExpression(text, bindings(input, variables), 'Output');

test("AWS's functions: $partition, $range (step optional), $hash, seeded $random, $uuid, $parse", async () => {
  expect(await evaluate('{% $partition([1,2,3,4,5], 2) %}')).toEqual([[1, 2], [3, 4], [5]]);
  expect(await evaluate('{% $range(0, 10, 2) %}')).toEqual([0, 2, 4, 6, 8, 10]);
  expect(await evaluate('{% $range(3, 1, -1) %}')).toEqual([3, 2, 1]);
  expect(await evaluate('{% $range(1, 3) %}')).toEqual([1, 2, 3]);
  expect(await evaluate("{% $hash('abc', 'MD5') %}")).toBe(createHash('md5').update('abc').digest('hex'));
  expect(await evaluate("{% $hash('abc', 'SHA-512') %}")).toBe(createHash('sha512').update('abc').digest('hex'));
  expect(await evaluate('{% $random(7) %}')).toBe(await evaluate('{% $random(7) %}'));
  expect(await evaluate('{% $random(7) %}')).not.toBe(await evaluate('{% $random(8) %}'));
  expect(await evaluate('{% $uuid() %}')).toMatch(/^[0-9a-f-]{36}$/);
  expect(await evaluate('{% $parse(\'{"a":[1]}\') %}')).toEqual({ a: [1] });
  await expect(evaluate("{% $hash('abc', 'SHA-3') %}")).rejects.toMatchObject({ name: 'States.QueryEvaluationError' });
  // AWS accepts $eval in a definition; the call fails when it runs (floci-io/floci#2737 measured on AWS: T1006).
  await expect(evaluate("{% $eval('1') %}")).rejects.toThrow('threw an error during evaluation. T1006: Attempted to invoke a non-function');
});

test('undefined, errors and JSONata sequences', async () => {
  await expect(evaluate('{% $states.input.nope %}')).rejects.toThrow(
    "The JSONata expression '$states.input.nope' specified for the field 'Output' returned nothing (undefined).",
  );
  await expect(evaluate('{% 1 + "a" %}')).rejects.toThrow(/threw an error during evaluation\. T2002: .*must evaluate to a number/);
  await expect(evaluate('{% $sum("a") %}')).rejects.toThrow(
    'threw an error during evaluation. T0412: Argument 1 of function "sum" must be an array of "numbers"',
  );
  // Inside an object constructor, a key whose value is undefined is dropped (JSONata semantics), not an error.
  expect(await evaluate('{% {"a": $states.input.nope, "b": 1} %}')).toEqual({ b: 1 });
  expect(await evaluate('{% $states.input.xs[v > 1].v %}', { xs: [{ v: 1 }, { v: 2 }, { v: 3 }] })).toEqual([2, 3]);
  expect(await evaluateTemplate({ a: ['{% 1 + 1 %}', 'plain $x'], b: { c: '{% $x %}' } }, bindings({}, { x: 'v' }), 'Arguments')).toEqual({
    a: [2, 'plain $x'],
    b: { c: 'v' },
  });
  await expect(evaluateTemplate({ a: { b: '{% $missing %}' } }, bindings({}), 'Arguments')).rejects.toThrow("specified for the field 'Arguments/a/b'");
});

test('definition checks: parse errors, top-level references, fields of the other language or of another state type, variable names', () => {
  expect(expressionProblem('$states.input.a')).toBeNull();
  expect(expressionProblem('$x.y')).toBeNull();
  expect(expressionProblem('$states.input.items[price > 3].name')).toBeNull();
  expect(expressionProblem('$map($states.input.xs, function($v) { v.w })')).toBeNull();
  expect(expressionProblem('$eval("1")')).toBeNull();
  expect(expressionProblem('a.b')).toEqual({ code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: "Reference to 'a' at the top level is not supported." });
  expect(expressionProblem('$count(items) + 1')).toEqual({
    code: 'UNSUPPORTED_JSONATA_EXPRESSION',
    message: "Reference to 'items' at the top level is not supported.",
  });
  expect(expressionProblem('{"k": phone}')).toEqual({
    code: 'UNSUPPORTED_JSONATA_EXPRESSION',
    message: "Reference to 'phone' at the top level is not supported.",
  });
  expect(expressionProblem('$')).toMatchObject({ code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: "Reference to '$' at the top level is not supported." });
  expect(expressionProblem('1 +')).toEqual({ code: 'INVALID_JSONATA_EXPRESSION', message: 'Unexpected end of expression' });
  expect(expressionProblem('a[1,2)')).toEqual({ code: 'INVALID_JSONATA_EXPRESSION', message: 'Expected "]", got ","' });
  const diagnostics = (def: object) => validateDefinition(JSON.stringify(def)).diagnostics.map((d) => `${d.code}: ${d.message} at ${d.location}`);
  const codes = (def: object) => validateDefinition(JSON.stringify(def)).diagnostics.map((d) => `${d.code} ${d.location}`);
  const ata = (state: object) => ({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { End: true, ...state } } });
  expect(codes(ata({ Type: 'Pass', Output: '{% $states.input %}', Assign: { x: '{% 1 %}' } }))).toEqual([]);
  expect(diagnostics(ata({ Type: 'Pass', Parameters: {} }))).toEqual([
    "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported for the 'JSONPath' QueryLanguage at /States/A",
  ]);
  expect(diagnostics(ata({ Type: 'Pass', Output: { v: '{% phone %}' } }))).toEqual([
    "UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top level is not supported. at /States/A/Output/v",
  ]);
  expect(diagnostics(ata({ Type: 'Pass', Output: '{% 1 + %}' }))).toEqual(['INVALID_JSONATA_EXPRESSION: Unexpected end of expression at /States/A/Output']);
  expect(codes(ata({ Type: 'Pass', Assign: { states: 1, 'a-b': 2 } }))).toEqual([
    'SCHEMA_VALIDATION_FAILED /States/A/Assign/states',
    'SCHEMA_VALIDATION_FAILED /States/A/Assign/a-b',
  ]);
  expect(diagnostics({ StartAt: 'A', States: { A: { Type: 'Pass', Output: 1, End: true } } })).toEqual([
    "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage at /States/A",
  ]);
  expect(codes({ StartAt: 'A', States: { A: { Type: 'Pass', QueryLanguage: 'JSONata', Output: 1, End: true } } })).toEqual([]);
  expect(diagnostics({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } } })).toEqual([
    "SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/A",
  ]);
  // Assign is taken by Pass, Task, Map, Parallel, Choice and Wait only; Retry/Catch by Task, Map and Parallel.
  expect(diagnostics(ata({ Type: 'Succeed', Assign: { x: 1 }, End: undefined }))).toEqual([
    "SCHEMA_VALIDATION_FAILED: Field 'Assign' is not supported at /States/A",
  ]);
  expect(diagnostics(ata({ Type: 'Pass', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'A' }] }))).toEqual([
    "SCHEMA_VALIDATION_FAILED: Field 'Catch' is not supported at /States/A",
  ]);
  expect(diagnostics(ata({ Type: 'Map', ItemProcessor: { QueryLanguage: 'JSONata', StartAt: 'I', States: { I: { Type: 'Succeed' } } } }))).toEqual([
    "SCHEMA_VALIDATION_FAILED: Field 'QueryLanguage' is not supported at /States/A/ItemProcessor",
  ]);
  expect(
    codes({ StartAt: 'A', States: { A: { Type: 'Choice', QueryLanguage: 'JSONata', Choices: [{ Variable: '$.a', BooleanEquals: true, Next: 'A' }] } } }),
  ).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Choices/0', 'SCHEMA_VALIDATION_FAILED /States/A/Choices/0', 'SCHEMA_VALIDATION_FAILED /States/A/Choices/0']);
  expect(variableNameProblem('ok_1')).toBeNull();
  expect(variableNameProblem('1x')).not.toBeNull();
});

test("a state speaks its own QueryLanguage, else its machine's; nested machines inherit the top level", () => {
  const def = resolveQueryLanguages({
    QueryLanguage: 'JSONata',
    StartAt: 'A',
    States: { A: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } },
  } as unknown as MachineDefinition);
  expect(def.States.A.QueryLanguage).toBe('JSONata');
  expect(def.States.A.ItemProcessor!.States.I.QueryLanguage).toBe('JSONata');
  const mixed = resolveQueryLanguages({
    StartAt: 'A',
    States: { A: { Type: 'Pass', QueryLanguage: 'JSONata', End: true }, B: { Type: 'Pass', End: true } },
  } as unknown as MachineDefinition);
  expect([mixed.States.A.QueryLanguage, mixed.States.B.QueryLanguage]).toEqual(['JSONata', 'JSONPath']);
});

test('JSONPath reads variables as $name, the context as $$ and the input as $; assignments are size-checked', () => {
  const context = withVariables({ State: { Name: 'S' } } as never, { order: { id: 'KC-1', lines: [1, 2] } });
  expect(lookupPath('$order.id', { order: 'input' }, context as never)).toBe('KC-1');
  expect(lookupPath('$order.lines[1]', {}, context as never)).toBe(2);
  expect(lookupPath('$.order', { order: 'input' }, context as never)).toBe('input');
  expect(lookupPath('$$.State.Name', {}, context as never)).toBe('S');
  expect(typeof lookupPath('$nope', {}, context as never)).toBe('symbol');
  // The variables never show when the context object is read as JSON.
  expect(JSON.stringify(context)).toBe('{"State":{"Name":"S"}}');
  expect(checkAssignment({ a: 1, b: 'x' })).toEqual({ a: '1', b: '"x"' });
  expect(() => checkAssignment({ big: 'x'.repeat(256 * 1024) })).toThrow(expect.objectContaining({ name: 'States.DataLimitExceeded' }));
  // 10 MiB for all of an execution's variables: 41 variables of 250 KB each pass it, a reassignment does not count twice.
  const inScope = Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`v${i}`, 'x'.repeat(250_000)]));
  expect(() => checkAssignment({ v0: 'x'.repeat(250_000) }, inScope)).not.toThrow();
  expect(() => checkAssignment({ more: 'x'.repeat(250_000) }, inScope)).toThrow(/10485760 bytes allowed/);
});

// transforming-data.html, "Handling expression errors": longer than 1 second → "Expression evaluation timeout".
test('an expression that runs past one second fails with States.QueryEvaluationError instead of holding the event loop', async () => {
  const endless = '{% ($f := function($n) { $n > 0 ? $f($n - 1) : 0 }; $f(1000000000)) %}';
  await expect(evaluate(endless)).rejects.toMatchObject({
    name: 'States.QueryEvaluationError',
    message: expect.stringContaining('threw an error during evaluation: Expression evaluation timeout'),
  });
  expect(await evaluate('{% ($f := function($n) { $n > 0 ? $f($n - 1) : 0 }; $f(100)) %}')).toBe(0);
});

test('each evaluation has its own deadline: one running out does not stop another running beside it', async () => {
  const endless = '{% ($f := function($n) { $n > 0 ? $f($n - 1) : 0 }; $f(1000000000)) %}';
  const short = '{% ($f := function($n) { $n > 0 ? $f($n - 1) : 0 }; $f(200)) %}';
  const [runaway, ...quick] = await Promise.allSettled([evaluate(endless), evaluate(short), evaluate(short)]);
  expect(runaway).toMatchObject({ status: 'rejected', reason: { message: expect.stringContaining('Expression evaluation timeout') } });
  expect(quick).toEqual([
    { status: 'fulfilled', value: 0 },
    { status: 'fulfilled', value: 0 },
  ]);
});
