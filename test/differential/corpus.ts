/**
 * The differential corpus: ASL definitions, each run by our engine and by
 * aws-local-stepfunctions. Tasks name Lambda functions from FUNCTIONS (the
 * other interpreter gets them as local overrides, so nothing reaches AWS).
 *
 * `docs` marks a case where aws-local-stepfunctions and the AWS documentation
 * disagree: we follow the docs, and the note says where.
 * `engineOnly` marks a feature the other interpreter does not implement.
 *
 * Known disagreements with the AWS documentation (we follow the docs):
 * - a ResultPath that cannot be applied: docs States.ResultPathMatchFailure, peer overwrites;
 * - an intrinsic that fails (index out of bounds): docs States.IntrinsicFailure, peer null;
 * - `IsString: false` on a number: ASL spec matches, peer does not;
 * - a Lambda error's Cause: Lambda reports `{"errorMessage","errorType","trace"}` as JSON, the peer
 *   only the message (the test compares errorMessage);
 * - ToleratedFailure*, machine TimeoutSeconds and most of `$$`: not implemented by the peer (engineOnly).
 */
export type Outcome = { status: 'SUCCEEDED'; output: unknown } | { status: 'FAILED'; error: string; cause?: string };

export interface Case {
  name: string;
  definition: Record<string, unknown>;
  input: unknown;
  docs?: { expected: Outcome; note: string };
  engineOnly?: { expected: Outcome; reason: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let flaky = 0;

/** Functions the corpus' Tasks call, by Lambda function name. */
/** What the corpus' Tasks send: each function reads the fields it knows. */
type TaskInput = { a?: number; b?: number; text?: unknown; message?: string; name?: string } | null;
const read = (input: unknown) => input as TaskInput;

export const FUNCTIONS: Record<string, (input: unknown) => unknown> = {
  echo: async (input) => input,
  add: async (input) => ({ sum: (read(input)?.a ?? 0) + (read(input)?.b ?? 0) }),
  upper: async (input) => String(read(input)?.text).toUpperCase(),
  fail: async (input) => {
    const error = new Error(read(input)?.message ?? 'task failed');
    error.name = read(input)?.name ?? 'Custom.Error';
    throw error;
  },
  slow: async (input) => {
    await sleep(2500);
    return input;
  },
  // Fails on odd calls, succeeds on even ones: exercises Retry without randomness.
  flaky: async (input) => {
    flaky++;
    if (flaky % 2 === 1) throw Object.assign(new Error('try again'), { name: 'Transient' });
    return { ok: true, input };
  },
  nothing: async () => undefined,
};

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const pass = (extra: Record<string, unknown> = {}) => ({ StartAt: 'S', States: { S: { Type: 'Pass', End: true, ...extra } } });
const intrinsic = (expr: string, input: unknown = {}): Pick<Case, 'definition' | 'input'> => ({ definition: pass({ Parameters: { 'r.$': expr } }), input });
const choice = (rule: Record<string, unknown>) => ({
  StartAt: 'C',
  States: {
    C: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
    Yes: { Type: 'Pass', Result: 'yes', End: true },
    No: { Type: 'Pass', Result: 'no', End: true },
  },
});
const task = (name: string, extra: Record<string, unknown> = {}) => ({
  StartAt: 'T',
  States: { T: { Type: 'Task', Resource: fn(name), End: true, ...extra } },
});

export const CORPUS: Case[] = [
  // ---------------------------------------------------------------- Pass & paths
  { name: 'pass: input flows through', definition: pass(), input: { a: 1 } },
  { name: 'pass: Result replaces input', definition: pass({ Result: { x: [1, 2] } }), input: { a: 1 } },
  { name: 'pass: ResultPath inserts', definition: pass({ Result: 'r', ResultPath: '$.out' }), input: { a: 1 } },
  { name: 'pass: ResultPath nested creates objects', definition: pass({ Result: 5, ResultPath: '$.a.b.c' }), input: { a: { z: 0 } } },
  { name: 'pass: ResultPath null keeps input', definition: pass({ Result: 'gone', ResultPath: null }), input: { keep: true } },
  { name: 'pass: InputPath selects', definition: pass({ InputPath: '$.inner' }), input: { inner: { v: 1 }, other: 2 } },
  { name: 'pass: InputPath null gives {}', definition: pass({ InputPath: null }), input: { a: 1 } },
  { name: 'pass: OutputPath selects', definition: pass({ Result: { a: { b: 3 } }, OutputPath: '$.a' }), input: {} },
  { name: 'pass: OutputPath null gives {}', definition: pass({ OutputPath: null }), input: { a: 1 } },
  {
    name: 'pass: Parameters with paths',
    definition: pass({ Parameters: { fixed: 1, 'v.$': '$.a.b', nested: { 'w.$': '$.list[1]' } } }),
    input: { a: { b: 'x' }, list: [10, 20] },
  },
  { name: 'pass: Parameters see InputPath', definition: pass({ InputPath: '$.a', Parameters: { 'b.$': '$.b' } }), input: { a: { b: 2 } } },
  { name: 'pass: Parameters context input', definition: pass({ Parameters: { 'orig.$': '$$.Execution.Input.x' } }), input: { x: 'from-context' } },
  { name: 'pass: Parameters array of templates', definition: pass({ Parameters: { list: [{ 'a.$': '$.a' }, 2] } }), input: { a: 1 } },
  { name: 'pass: bracket path', definition: pass({ Parameters: { 'v.$': "$['key with space']" } }), input: { 'key with space': 7 } },
  { name: 'pass: wildcard path returns matches', definition: pass({ Parameters: { 'ids.$': '$.items[*].id' } }), input: { items: [{ id: 1 }, { id: 2 }] } },
  { name: 'pass: filter path', definition: pass({ Parameters: { 'big.$': '$.items[?(@.n > 1)].n' } }), input: { items: [{ n: 1 }, { n: 2 }, { n: 3 }] } },
  {
    name: 'pass: chain of states',
    definition: {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Result: 1, ResultPath: '$.a', Next: 'B' },
        B: { Type: 'Pass', Result: 2, ResultPath: '$.b', Next: 'C' },
        C: { Type: 'Pass', End: true },
      },
    },
    input: {},
  },
  { name: 'error: InputPath misses', definition: pass({ InputPath: '$.missing' }), input: { a: 1 } },
  // The spec page names States.ParameterPathFailure; recorded AWS executions fail with States.Runtime, as the peer does.
  { name: 'error: Parameters path misses', definition: pass({ Parameters: { 'v.$': '$.missing' } }), input: { a: 1 } },
  {
    name: 'error: ResultPath into a string',
    definition: pass({ Result: 1, ResultPath: '$.s.x' }),
    input: { s: 'text' },
    docs: {
      expected: { status: 'FAILED', error: 'States.ResultPathMatchFailure' },
      note: 'AWS docs: ResultPath that cannot be applied to the input is States.ResultPathMatchFailure; aws-local-stepfunctions overwrites the string',
    },
  },

  // ---------------------------------------------------------------- intrinsics
  { name: 'intrinsic: Format', ...intrinsic("States.Format('Hello {}, you are {}', $.name, $.age)", { name: 'Ada', age: 36 }) },
  { name: 'intrinsic: Format escapes', ...intrinsic("States.Format('\\{literal\\} {}', $.v)", { v: 'x' }) },
  { name: 'intrinsic: StringToJson', ...intrinsic('States.StringToJson($.s)', { s: '{"a":[1,2]}' }) },
  { name: 'intrinsic: JsonToString', ...intrinsic('States.JsonToString($.o)', { o: { a: 1, b: [true] } }) },
  { name: 'intrinsic: Array', ...intrinsic("States.Array('a', 1, $.v)", { v: { x: 1 } }) },
  { name: 'intrinsic: ArrayPartition', ...intrinsic('States.ArrayPartition($.a, 2)', { a: [1, 2, 3, 4, 5] }) },
  { name: 'intrinsic: ArrayContains', ...intrinsic('States.ArrayContains($.a, $.v)', { a: [1, 2, 3], v: 2 }) },
  { name: 'intrinsic: ArrayRange', ...intrinsic('States.ArrayRange(1, 9, 2)') },
  { name: 'intrinsic: ArrayGetItem', ...intrinsic('States.ArrayGetItem($.a, 1)', { a: ['x', 'y'] }) },
  { name: 'intrinsic: ArrayLength', ...intrinsic('States.ArrayLength($.a)', { a: [1, 2, 3] }) },
  { name: 'intrinsic: ArrayUnique', ...intrinsic('States.ArrayUnique($.a)', { a: [1, 2, 2, 3, 1] }) },
  { name: 'intrinsic: Base64Encode', ...intrinsic('States.Base64Encode($.s)', { s: 'Data to encode' }) },
  { name: 'intrinsic: Base64Decode', ...intrinsic('States.Base64Decode($.s)', { s: 'RGF0YSB0byBlbmNvZGU=' }) },
  { name: 'intrinsic: Hash SHA-256', ...intrinsic("States.Hash($.s, 'SHA-256')", { s: 'input data' }) },
  { name: 'intrinsic: Hash MD5', ...intrinsic("States.Hash($.s, 'MD5')", { s: 'input data' }) },
  { name: 'intrinsic: JsonMerge shallow', ...intrinsic('States.JsonMerge($.a, $.b, false)', { a: { x: 1, n: { p: 1 } }, b: { y: 2, n: { q: 2 } } }) },
  { name: 'intrinsic: MathAdd', ...intrinsic('States.MathAdd($.v, -3)', { v: 10 }) },
  { name: 'intrinsic: MathRandom in range', ...intrinsic('States.ArrayContains(States.ArrayRange(1, 5, 1), States.MathRandom(1, 5))') },
  { name: 'intrinsic: StringSplit', ...intrinsic("States.StringSplit($.s, ',')", { s: 'a,b,c' }) },
  { name: 'intrinsic: UUID shape', ...intrinsic("States.ArrayLength(States.StringSplit(States.UUID(), '-'))") },
  { name: 'intrinsic: nested calls', ...intrinsic("States.Format('{} items', States.ArrayLength($.a))", { a: [1, 2] }) },
  {
    name: 'intrinsic: out-of-bounds index is States.IntrinsicFailure',
    ...intrinsic('States.ArrayGetItem($.a, 5)', { a: [1] }),
    docs: {
      expected: { status: 'FAILED', error: 'States.IntrinsicFailure' },
      note: 'AWS docs: a failed intrinsic call is States.IntrinsicFailure; aws-local-stepfunctions returns null for an index out of bounds',
    },
  },

  // ---------------------------------------------------------------- Choice
  { name: 'choice: StringEquals', definition: choice({ Variable: '$.s', StringEquals: 'a' }), input: { s: 'a' } },
  { name: 'choice: StringLessThan', definition: choice({ Variable: '$.s', StringLessThan: 'b' }), input: { s: 'a' } },
  { name: 'choice: StringGreaterThanEquals', definition: choice({ Variable: '$.s', StringGreaterThanEquals: 'b' }), input: { s: 'a' } },
  { name: 'choice: StringEqualsPath', definition: choice({ Variable: '$.s', StringEqualsPath: '$.t' }), input: { s: 'x', t: 'x' } },
  { name: 'choice: StringMatches wildcard', definition: choice({ Variable: '$.s', StringMatches: 'log-*.txt' }), input: { s: 'log-2024.txt' } },
  { name: 'choice: StringMatches escaped star', definition: choice({ Variable: '$.s', StringMatches: 'a\\*b' }), input: { s: 'a*b' } },
  { name: 'choice: StringMatches escaped star no match', definition: choice({ Variable: '$.s', StringMatches: 'a\\*b' }), input: { s: 'axxb' } },
  { name: 'choice: NumericEquals', definition: choice({ Variable: '$.n', NumericEquals: 3 }), input: { n: 3 } },
  { name: 'choice: NumericLessThan', definition: choice({ Variable: '$.n', NumericLessThan: 3 }), input: { n: 5 } },
  { name: 'choice: NumericGreaterThanEquals', definition: choice({ Variable: '$.n', NumericGreaterThanEquals: 5 }), input: { n: 5 } },
  { name: 'choice: NumericLessThanEqualsPath', definition: choice({ Variable: '$.n', NumericLessThanEqualsPath: '$.max' }), input: { n: 5, max: 5 } },
  { name: 'choice: numeric on a string is false', definition: choice({ Variable: '$.n', NumericEquals: 3 }), input: { n: '3' } },
  { name: 'choice: BooleanEquals', definition: choice({ Variable: '$.b', BooleanEquals: false }), input: { b: false } },
  { name: 'choice: BooleanEqualsPath', definition: choice({ Variable: '$.b', BooleanEqualsPath: '$.c' }), input: { b: true, c: true } },
  {
    name: 'choice: TimestampLessThan',
    definition: choice({ Variable: '$.t', TimestampLessThan: '2024-01-01T00:00:00Z' }),
    input: { t: '2023-06-01T12:00:00Z' },
  },
  {
    name: 'choice: TimestampEquals offsets',
    definition: choice({ Variable: '$.t', TimestampEquals: '2024-01-01T00:00:00Z' }),
    input: { t: '2024-01-01T01:00:00+01:00' },
  },
  {
    name: 'choice: TimestampGreaterThanPath',
    definition: choice({ Variable: '$.t', TimestampGreaterThanPath: '$.u' }),
    input: { t: '2024-02-01T00:00:00Z', u: '2024-01-01T00:00:00Z' },
  },
  { name: 'choice: IsPresent false', definition: choice({ Variable: '$.missing', IsPresent: true }), input: {} },
  { name: 'choice: IsNull', definition: choice({ Variable: '$.v', IsNull: true }), input: { v: null } },
  { name: 'choice: IsNumeric', definition: choice({ Variable: '$.v', IsNumeric: true }), input: { v: 1.5 } },
  {
    name: 'choice: IsString false',
    definition: choice({ Variable: '$.v', IsString: false }),
    input: { v: 1 },
    docs: {
      expected: { status: 'SUCCEEDED', output: 'yes' },
      note: 'ASL spec: IsString: false matches a value that is not a string; aws-local-stepfunctions does not match it',
    },
  },
  { name: 'choice: IsBoolean', definition: choice({ Variable: '$.v', IsBoolean: true }), input: { v: true } },
  { name: 'choice: IsTimestamp', definition: choice({ Variable: '$.v', IsTimestamp: true }), input: { v: '2016-03-14T01:59:00Z' } },
  { name: 'choice: IsTimestamp rejects a date', definition: choice({ Variable: '$.v', IsTimestamp: true }), input: { v: '2016-03-14' } },
  {
    name: 'choice: And',
    definition: choice({
      And: [
        { Variable: '$.n', NumericGreaterThan: 1 },
        { Variable: '$.n', NumericLessThan: 10 },
      ],
    }),
    input: { n: 5 },
  },
  {
    name: 'choice: Or',
    definition: choice({
      Or: [
        { Variable: '$.s', StringEquals: 'x' },
        { Variable: '$.s', StringEquals: 'y' },
      ],
    }),
    input: { s: 'y' },
  },
  { name: 'choice: Not', definition: choice({ Not: { Variable: '$.s', StringEquals: 'x' } }), input: { s: 'y' } },
  { name: 'choice: context variable', definition: choice({ Variable: '$$.Execution.Input.flag', BooleanEquals: true }), input: { flag: true } },
  {
    name: 'choice: InputPath and OutputPath',
    definition: {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', InputPath: '$.in', OutputPath: '$.v', Choices: [{ Variable: '$.v', IsPresent: true, Next: 'E' }] },
        E: { Type: 'Succeed' },
      },
    },
    input: { in: { v: 9 } },
  },
  {
    name: 'choice: no match fails',
    definition: { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'E' }] }, E: { Type: 'Succeed' } } },
    input: { n: 2 },
  },

  // ---------------------------------------------------------------- Wait, Succeed, Fail
  { name: 'wait: Seconds', definition: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, End: true } } }, input: { a: 1 } },
  { name: 'wait: SecondsPath', definition: { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } } }, input: { s: 0 } },
  {
    name: 'wait: Timestamp in the past',
    definition: { StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: '2020-01-01T00:00:00Z', End: true } } },
    input: {},
  },
  {
    name: 'wait: TimestampPath',
    definition: { StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.t', OutputPath: '$.t', End: true } } },
    input: { t: '2020-01-01T00:00:00Z' },
  },
  { name: 'succeed: OutputPath', definition: { StartAt: 'S', States: { S: { Type: 'Succeed', OutputPath: '$.a' } } }, input: { a: 'only' } },
  { name: 'fail: Error and Cause', definition: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Bad.Thing', Cause: 'because' } } }, input: {} },
  {
    name: 'fail: ErrorPath and CausePath',
    definition: { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' } } },
    input: { e: 'Dyn.Error', c: 'dynamic cause' },
  },

  // ---------------------------------------------------------------- Task, Retry, Catch, timeouts
  { name: 'task: direct Lambda', definition: task('add'), input: { a: 2, b: 3 } },
  {
    name: 'task: Parameters and ResultSelector',
    definition: task('add', { Parameters: { 'a.$': '$.x', b: 10 }, ResultSelector: { 'total.$': '$.sum' }, ResultPath: '$.r' }),
    input: { x: 5 },
  },
  { name: 'task: undefined result is null', definition: task('nothing', { ResultPath: '$.r' }), input: { a: 1 } },
  { name: 'task: failure fails the execution', definition: task('fail'), input: { message: 'nope', name: 'Biz.Error' } },
  {
    name: 'task: Catch by name with ResultPath',
    definition: {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn('fail'),
          Catch: [
            { ErrorEquals: ['Other'], Next: 'X' },
            { ErrorEquals: ['Biz.Error'], ResultPath: '$.err', Next: 'Handled' },
          ],
          End: true,
        },
        X: { Type: 'Fail' },
        Handled: { Type: 'Pass', End: true },
      },
    },
    input: { message: 'nope', name: 'Biz.Error' },
  },
  {
    name: 'task: Catch States.ALL',
    definition: {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: fn('fail'), Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true }, H: { Type: 'Pass', End: true } },
    },
    input: { name: 'Whatever' },
  },
  {
    name: 'task: Catch States.TaskFailed',
    definition: {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: fn('fail'), Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: null, Next: 'H' }], End: true },
        H: { Type: 'Pass', Result: 'caught', End: true },
      },
    },
    input: { name: 'Whatever' },
  },
  {
    name: 'task: Retry then succeed',
    definition: task('flaky', { Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 1, MaxAttempts: 2 }], ResultSelector: { 'ok.$': '$.ok' } }),
    input: {},
  },
  {
    name: 'task: Retry MaxAttempts 0 then Catch',
    definition: {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn('fail'),
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }],
          End: true,
        },
        H: { Type: 'Pass', End: true },
      },
    },
    input: { name: 'E' },
  },
  { name: 'task: TimeoutSeconds', definition: task('slow', { TimeoutSeconds: 1 }), input: {} },
  {
    name: 'task: Catch States.Timeout',
    definition: {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: fn('slow'), TimeoutSeconds: 1, Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.e', Next: 'H' }], End: true },
        H: { Type: 'Pass', OutputPath: '$.e.Error', End: true },
      },
    },
    input: {},
  },

  // ---------------------------------------------------------------- Parallel
  {
    name: 'parallel: results in branch order',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Task', Resource: fn('upper'), Parameters: { text: 'b' }, End: true } } },
          ],
          End: true,
        },
      },
    },
    input: {},
  },
  {
    name: 'parallel: ResultSelector and ResultPath',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Result: 2, End: true } } },
          ],
          ResultSelector: { 'first.$': '$[0].v', 'second.$': '$[1]' },
          ResultPath: '$.r',
          End: true,
        },
      },
    },
    input: { v: 1 },
  },
  {
    name: 'parallel: Parameters feed branches',
    definition: {
      StartAt: 'P',
      States: { P: { Type: 'Parallel', Parameters: { 'x.$': '$.a' }, Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }], End: true } },
    },
    input: { a: 5 },
  },
  {
    name: 'parallel: branch failure fails the state',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Fail', Error: 'Branch.Failed', Cause: 'x' } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
          ],
          End: true,
        },
      },
    },
    input: {},
  },
  {
    name: 'parallel: Catch a branch failure',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'A', States: { A: { Type: 'Fail', Error: 'Branch.Failed', Cause: 'x' } } }],
          Catch: [{ ErrorEquals: ['Branch.Failed'], Next: 'H' }],
          End: true,
        },
        H: { Type: 'Pass', End: true },
      },
    },
    input: {},
  },
  {
    name: 'parallel: nested Map inside a branch',
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'M',
              States: { M: { Type: 'Map', ItemsPath: '$.xs', Iterator: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } },
            },
          ],
          End: true,
        },
      },
    },
    input: { xs: [1, 2] },
  },

  // ---------------------------------------------------------------- Map
  {
    name: 'map: items pass through',
    definition: { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } } },
    input: [1, 2, 3],
  },
  {
    name: 'map: ItemsPath and task',
    definition: {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.words',
          ItemProcessor: { StartAt: 'U', States: { U: { Type: 'Task', Resource: fn('upper'), Parameters: { 'text.$': '$' }, End: true } } },
          ResultPath: '$.upper',
          End: true,
        },
      },
    },
    input: { words: ['a', 'b'] },
  },
  {
    name: 'map: ItemSelector with context',
    definition: {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.xs',
          ItemSelector: { 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value', 'tag.$': '$.tag' },
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    },
    input: { xs: ['a', 'b'], tag: 't' },
  },
  {
    name: 'map: legacy Parameters and Iterator',
    definition: {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.xs',
          Parameters: { 'v.$': '$$.Map.Item.Value' },
          Iterator: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    },
    input: { xs: [1, 2] },
  },
  {
    name: 'map: MaxConcurrency 1 keeps order',
    definition: {
      StartAt: 'M',
      States: {
        M: { Type: 'Map', MaxConcurrency: 1, ItemProcessor: { StartAt: 'A', States: { A: { Type: 'Task', Resource: fn('add'), End: true } } }, End: true },
      },
    },
    input: [
      { a: 1, b: 1 },
      { a: 2, b: 2 },
      { a: 3, b: 3 },
    ],
  },
  {
    name: 'map: empty array',
    definition: { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } } },
    input: [],
  },
  {
    name: 'map: ResultSelector',
    definition: {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
          ResultSelector: { 'n.$': 'States.ArrayLength($)' },
          End: true,
        },
      },
    },
    input: [1, 2, 3],
  },
  {
    name: 'map: iteration failure fails the Map',
    definition: {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'C',
            States: {
              C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Bad' }], Default: 'Ok' },
              Bad: { Type: 'Fail', Error: 'Item.Bad', Cause: 'two' },
              Ok: { Type: 'Pass', End: true },
            },
          },
          End: true,
        },
      },
    },
    input: [1, 2, 3],
  },
  {
    name: 'map: items not an array',
    definition: {
      StartAt: 'M',
      States: { M: { Type: 'Map', ItemsPath: '$.x', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } },
    },
    input: { x: 'nope' },
  },
  {
    name: 'map: ToleratedFailureCount',
    definition: {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ToleratedFailureCount: 1,
          ItemProcessor: {
            StartAt: 'C',
            States: {
              C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Bad' }], Default: 'Ok' },
              Bad: { Type: 'Fail', Error: 'Item.Bad', Cause: 'two' },
              Ok: { Type: 'Pass', End: true },
            },
          },
          End: true,
        },
      },
    },
    input: [1, 2, 3],
    engineOnly: {
      expected: { status: 'SUCCEEDED', output: [1, { Error: 'Item.Bad', Cause: 'two' }, 3] },
      reason: 'aws-local-stepfunctions ignores ToleratedFailure* (AWS: failed items within tolerance do not fail the Map)',
    },
  },
  {
    name: 'map: ToleratedFailurePercentage exceeded',
    definition: {
      StartAt: 'M',
      States: {
        M: { Type: 'Map', ToleratedFailurePercentage: 10, ItemProcessor: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Item.Bad' } } }, End: true },
      },
    },
    input: [1, 2],
    engineOnly: {
      expected: { status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' },
      reason: 'aws-local-stepfunctions ignores ToleratedFailure*',
    },
  },

  // ---------------------------------------------------------------- machine-level
  {
    name: 'machine: TimeoutSeconds times the execution out',
    definition: { TimeoutSeconds: 1, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, End: true } } },
    input: {},
    engineOnly: {
      expected: { status: 'FAILED', error: 'States.Timeout' },
      reason: 'aws-local-stepfunctions rejects with ExecutionTimeoutError instead of an execution failure',
    },
  },
  {
    name: 'context: State.Name and Execution.Name',
    definition: pass({ Parameters: { 'state.$': '$$.State.Name', 'retry.$': '$$.State.RetryCount' } }),
    input: {},
    engineOnly: {
      expected: { status: 'SUCCEEDED', output: { state: 'S', retry: 0 } },
      reason: 'aws-local-stepfunctions fills only $$.Execution.Input/StartTime',
    },
  },
];
