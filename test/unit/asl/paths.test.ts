import { StatesResultPathMatchFailureError, StatesRuntimeError } from '../../../local/asl/errors';
import { applyResultPath, selectPath, stateOutput } from '../../../local/asl/io';
import { NOT_FOUND, parseReferencePath, queryPath, setAtPath } from '../../../local/asl/paths';

test('reference paths parse; others go to jsonpath-plus', () => {
  expect(parseReferencePath("$.a['b c'][2].d")).toEqual(['a', 'b c', 2, 'd']);
  expect(parseReferencePath('$..a')).toBeNull();
  expect(parseReferencePath('$.a[*]')).toBeNull();
  expect(queryPath('$.a[1]', { a: [1, 2] })).toBe(2);
  expect(queryPath('$.a[5]', { a: [1, 2] })).toBe(NOT_FOUND);
  expect(queryPath('$..n', { a: { n: 1 }, b: [{ n: 2 }] })).toEqual([1, 2]);
});

test('ResultPath copies only along the path and never mutates the input', () => {
  const input = { keep: { big: [1, 2, 3] }, a: { b: 1 } };
  const out = setAtPath('$.a.c', input, 'x') as { keep: unknown; a: unknown };
  expect(out).toEqual({ keep: { big: [1, 2, 3] }, a: { b: 1, c: 'x' } });
  expect(input.a).toEqual({ b: 1 });
  expect(out.keep).toBe(input.keep);
  expect(() => applyResultPath('$.a.b.c', input, 1)).toThrow(StatesResultPathMatchFailureError);
  expect(applyResultPath(null, input, 1)).toBe(input);
});

test('InputPath/OutputPath: null gives {}, a missing path is States.Runtime', () => {
  expect(selectPath(null, { a: 1 }, 'InputPath')).toEqual({});
  expect(() => selectPath('$.x', { a: 1 }, 'OutputPath')).toThrow(StatesRuntimeError);
  expect(stateOutput({ Type: 'Task', ResultSelector: { 'v.$': '$.Payload' }, ResultPath: '$.r', OutputPath: '$.r' }, { in: 1 }, { Payload: 7 }, {})).toEqual({
    v: 7,
  });
});
