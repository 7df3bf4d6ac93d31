import { validateDefinition } from '../../../local/asl/definition';

const codes = (def: unknown) => validateDefinition(JSON.stringify(def)).diagnostics.map((d) => `${d.code} ${d.location}`);
const ok = (states: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ StartAt: Object.keys(states)[0], States: states, ...extra });

test('a valid definition has no diagnostics', () => {
  expect(
    codes(
      ok({
        A: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'f', 'Payload.$': "States.Format('{}', $.x)" },
          TimeoutSecondsPath: '$.t',
          Next: 'B',
        },
        B: { Type: 'Succeed' },
      }),
    ),
  ).toEqual([]);
});

test('Distributed Map and non-Lambda resources are rejected by name', () => {
  expect(codes(ok({ A: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } }))).toEqual(['UNSUPPORTED_FEATURE /States/A/Resource']);
  expect(
    codes(
      ok({
        A: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true },
      }),
    ),
  ).toEqual(['UNSUPPORTED_FEATURE /States/A/ItemProcessor/ProcessorConfig']);
});

test('structural errors carry their location', () => {
  expect(codes({ StartAt: 'X', States: { A: { Type: 'Pass', End: true } } })).toEqual(['MISSING_TRANSITION_TARGET /StartAt']);
  expect(codes(ok({ A: { Type: 'Pass', Next: 'Nope' } }))).toEqual(['MISSING_TRANSITION_TARGET /States/A/Next']);
  expect(codes(ok({ A: { Type: 'Choice', Choices: [{ Variable: '$.a', Equals: 1, Next: 'A' }] } }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Choices/0']);
  expect(codes(ok({ A: { Type: 'Wait', End: true } }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A']);
  expect(
    codes(
      ok({
        A: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f',
          Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['X'] }],
          End: true,
        },
      }),
    ),
  ).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Retry/0']);
  expect(codes(ok({ A: { Type: 'Pass', Parameters: { 'x.$': 'States.Nope(' }, End: true } }))).toEqual(['INVALID_INTRINSIC /States/A/Parameters/x.$']);
  expect(validateDefinition('{not json').diagnostics[0].code).toBe('INVALID_JSON_DESCRIPTION');
});
