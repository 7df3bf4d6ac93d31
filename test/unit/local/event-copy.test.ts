/** A handler's copy of its event: plain JSON copied directly, equal to what structuredClone gives; anything else copied by structuredClone. */
import { copyOfEvent } from '../../../local/functions/event-copy';

test('plain JSON is copied deeply, equal to structuredClone, sharing nothing with the original', () => {
  const event = { token: 'AAAA', n: -0, list: [1, 'two', null, { deep: [true, { x: undefined }] }], nested: { a: { b: { c: [] } } } };
  const copy = copyOfEvent(event);
  expect(copy).toEqual(structuredClone(event));
  expect(Object.is(copy.n, -0)).toBe(true);
  expect('x' in (copy.list[3] as { deep: [boolean, object] }).deep[1]).toBe(true);
  copy.list.push(5);
  (copy.nested.a.b.c as number[]).push(1);
  expect(event.list).toHaveLength(4);
  expect(event.nested.a.b.c).toEqual([]);
});

test('primitives come back as they are', () => {
  for (const value of ['s', 1, true, null, undefined]) expect(copyOfEvent(value)).toBe(value);
});

test('what is not plain JSON is copied by structuredClone, its errors included', () => {
  const when = new Date(0);
  const copy = copyOfEvent({ when, map: new Map([[1, 2]]), big: 10n });
  // (structuredClone builds it in Node's realm, not the test's: compared by its tag and time.)
  expect(Object.prototype.toString.call(copy.when)).toBe('[object Date]');
  expect(copy.when.getTime()).toBe(0);
  expect(copy.when).not.toBe(when);
  expect(copy.map.get(1)).toBe(2);
  expect(copy.big).toBe(10n);
  // A sparse array keeps its hole, as structuredClone keeps it.
  const holed = [1, 2, 3];
  delete holed[1];
  const sparse = copyOfEvent(holed);
  expect(1 in sparse).toBe(false);
  // An own `__proto__` key (JSON.parse makes one) stays an own key, not a prototype.
  const proto = copyOfEvent(JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>);
  expect(Object.keys(proto)).toEqual(['__proto__']);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  class Point {
    constructor(readonly x: number) {}
  }
  expect(copyOfEvent({ p: new Point(1) }).p).toEqual({ x: 1 });
  expect(() => copyOfEvent({ f: () => 1 })).toThrow();
});

test('data nested deeper than a walk should go is still copied whole', () => {
  let deep: unknown = 'bottom';
  for (let i = 0; i < 500; i++) deep = { next: deep };
  expect(copyOfEvent(deep)).toEqual(structuredClone(deep));
});
