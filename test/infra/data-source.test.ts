/** Data written into generated entries evaluates to the same value, `__proto__` keys included. */
import { runInNewContext } from 'node:vm';
import { dataSource } from '../../infra/data-source';

const evaluate = (source: string): unknown => runInNewContext(`(${source})`);

describe('dataSource', () => {
  test('plain data is written as its JSON text, the smaller form', () => {
    const value = { id: 'refunds.issue', amounts: [1, 2.5, null], nested: { ok: true, text: 'a "quoted" \\ line\u2028' } };
    expect(dataSource(value)).toBe(JSON.stringify(value));
    expect(evaluate(dataSource(value))).toEqual(value);
  });

  test('a __proto__ key stays a property, at any depth, and sets no prototype', () => {
    const value = JSON.parse('{"config":{"__proto__":{"polluted":true}},"list":[{"__proto__":1}]}') as Record<string, unknown>;
    const copy = evaluate(dataSource(value)) as { config: Record<string, unknown>; list: Record<string, unknown>[] };
    expect(Object.keys(copy.config)).toEqual(['__proto__']);
    expect((copy.config as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(copy.list[0], '__proto__')?.value).toBe(1);
    // Written as an object literal, the same text would have set the prototype instead.
    expect((evaluate(JSON.stringify(value)) as { config: { polluted?: unknown } }).config.polluted).toBe(true);
  });
});
