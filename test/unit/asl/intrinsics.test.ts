import { StatesIntrinsicFailureError } from '../../../local/asl/errors';
import { evaluateIntrinsic, parseIntrinsic } from '../../../local/asl/intrinsics';

const run = (expr: string, input: unknown = {}, context: unknown = {}) => evaluateIntrinsic(expr, input as never, context as never);

describe('intrinsic parser', () => {
  test('parses literals, paths, nested calls and escapes', () => {
    expect(parseIntrinsic("States.Format('it\\'s {}', $.a[0], States.UUID(), 1.5, true, null)").args.map((a) => a.kind)).toEqual([
      'string',
      'path',
      'call',
      'literal',
      'literal',
      'literal',
    ]);
    expect(run("States.Array('a,b', $.x['k,)'])", { x: { 'k,)': 1 } })).toEqual(['a,b', 1]);
    expect(run('States.Array($.items[?(@.n > 1)].n)', { items: [{ n: 1 }, { n: 2 }] })).toEqual([[2]]);
  });

  test.each([["States.Format('x'"], ['States.Nope()'], ["States.Format('unterminated)"], ['Foo.Bar()']])('rejects %s', (expr) => {
    expect(() => run(expr)).toThrow(StatesIntrinsicFailureError);
  });
});

describe('intrinsic functions', () => {
  test('Format keeps escaped braces literal and counts arguments', () => {
    expect(run("States.Format('\\{{}\\}', $.v)", { v: 1 })).toBe('{1}');
    expect(run("States.Format('{} and {}', 'a', 2)")).toBe('a and 2');
    expect(() => run("States.Format('{}')")).toThrow(/placeholder/);
    expect(() => run("States.Format('{}', $.o)", { o: { a: 1 } })).toThrow(StatesIntrinsicFailureError);
  });

  test('context paths resolve against $$', () => {
    expect(run("States.Format('{}', $$.Execution.Name)", {}, { Execution: { Name: 'run-1' } })).toBe('run-1');
  });

  test('array functions', () => {
    expect(run('States.ArrayPartition($.a, 4)', { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
    expect(run('States.ArrayContains($.a, $.v)', { a: [{ k: [1] }], v: { k: [1] } })).toBe(true);
    expect(run('States.ArrayRange(10, 0, -5)')).toEqual([10, 5, 0]);
    expect(() => run('States.ArrayRange(0, 2000, 1)')).toThrow(/1000/);
    expect(() => run('States.ArrayRange(0, 2, 0)')).toThrow(StatesIntrinsicFailureError);
    expect(run('States.ArrayUnique($.a)', { a: [{ a: 1 }, { a: 1 }, 2] })).toEqual([{ a: 1 }, 2]);
    expect(() => run('States.ArrayLength($.a)', { a: 'no' })).toThrow(/array/);
  });

  test('json, string, encoding and math functions', () => {
    expect(() => run('States.StringToJson($.s)', { s: '{' })).toThrow(StatesIntrinsicFailureError);
    expect(() => run('States.JsonMerge($.a, $.b, true)', { a: {}, b: {} })).toThrow(/shallow/);
    expect(run("States.StringSplit($.s, ',+')", { s: 'a,b+c,,d' })).toEqual(['a', 'b', 'c', 'd']);
    expect(run("States.Hash('input data', 'SHA-1')")).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
    expect(() => run("States.Hash('x', 'SHA-3')")).toThrow(/algorithm/);
    expect(run("States.Base64Decode(States.Base64Encode('héllo'))")).toBe('héllo');
    expect(() => run("States.Base64Decode('***')")).toThrow(StatesIntrinsicFailureError);
    expect(run('States.MathRandom(1, 1000, 42)')).toBe(run('States.MathRandom(1, 1000, 42)'));
    expect(() => run('States.MathRandom(5, 5)')).toThrow(StatesIntrinsicFailureError);
    expect(run('States.MathAdd(1, 2)')).toBe(3);
    expect(run('States.UUID()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('a path that selects nothing is States.IntrinsicFailure', () => {
    expect(() => run('States.ArrayLength($.missing)')).toThrow(StatesIntrinsicFailureError);
  });
});
