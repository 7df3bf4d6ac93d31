/** One contract for every implementation of the storage port. */
import { ConditionFailedError, queryAll, type Table } from '../../shared/storage/table';

export function tableContract(name: string, open: () => Promise<Table>): void {
  describe(`Table contract: ${name}`, () => {
    let t: Table;
    beforeEach(async () => {
      t = await open();
    });

    test('put then get returns the item; missing key returns undefined', async () => {
      await t.put({ pk: 'a', sk: '1', n: 1, nested: { x: [1, 'two'] } });
      expect(await t.get({ pk: 'a', sk: '1' })).toEqual({ pk: 'a', sk: '1', n: 1, nested: { x: [1, 'two'] } });
      expect(await t.get({ pk: 'a', sk: '2' })).toBeUndefined();
    });

    test('values of every kind round-trip; undefined fields are left out; a class instance is stored as a map, in an item and in an update', async () => {
      class Money {
        constructor(
          readonly amount: number,
          readonly currency: string,
        ) {}
      }
      const item = {
        pk: 'v',
        sk: '1',
        s: 'text',
        n: -1.5,
        t: true,
        f: false,
        z: null,
        gone: undefined,
        list: [{ a: 1 }, [2], 'x'],
        map: { deep: { er: 'y' } },
      };
      await t.put({ ...item, money: new Money(64, 'USD') });
      const { gone: _gone, ...stored } = item;
      const got = await t.get({ pk: 'v', sk: '1' });
      expect(got).toStrictEqual({ ...stored, money: { amount: 64, currency: 'USD' } });
      const updated = await t.update(
        { pk: 'v', sk: '1' },
        { set: { money: new Money(5, 'EUR'), later: { at: [1, null] } } },
        { all: [{ field: 'map', op: 'present' }] },
      );
      expect(updated.money).toStrictEqual({ amount: 5, currency: 'EUR' });
      expect(updated.later).toStrictEqual({ at: [1, null] });
    });

    test('itemExists:false refuses an existing key and leaves it unchanged', async () => {
      await t.put({ pk: 'a', sk: '1', v: 'first' }, { itemExists: false });
      await expect(t.put({ pk: 'a', sk: '1', v: 'second' }, { itemExists: false })).rejects.toBeInstanceOf(ConditionFailedError);
      expect((await t.get({ pk: 'a', sk: '1' }))?.v).toBe('first');
    });

    test('field conditions: eq, le with any/absent', async () => {
      await t.put({ pk: 'c', sk: '1', status: 'pending' });
      await t.update({ pk: 'c', sk: '1' }, { set: { status: 'done' } }, { all: [{ field: 'status', op: 'eq', value: 'pending' }] });
      await expect(
        t.update({ pk: 'c', sk: '1' }, { set: { status: 'again' } }, { all: [{ field: 'status', op: 'eq', value: 'pending' }] }),
      ).rejects.toBeInstanceOf(ConditionFailedError);
      // a capped counter: absent or below the cap
      const cap = {
        any: [
          { field: 'count', op: 'absent' as const },
          { field: 'count', op: 'lt' as const, value: 2 },
        ],
      };
      expect((await t.update({ pk: 'k', sk: 'day' }, { add: { count: 1 } }, cap)).count).toBe(1);
      expect((await t.update({ pk: 'k', sk: 'day' }, { add: { count: 1 } }, cap)).count).toBe(2);
      await expect(t.update({ pk: 'k', sk: 'day' }, { add: { count: 1 } }, cap)).rejects.toBeInstanceOf(ConditionFailedError);
    });

    test('update sets, adds and removes, returning the new item', async () => {
      await t.put({ pk: 'u', sk: '1', a: 1, b: 'x' });
      const out = await t.update({ pk: 'u', sk: '1' }, { set: { c: true }, add: { a: 2 }, remove: ['b'] });
      expect(out).toEqual({ pk: 'u', sk: '1', a: 3, c: true });
    });

    test('query by prefix, in order, reversed, paged', async () => {
      for (const sk of ['m#003', 'm#001', 'm#002', 'x#001']) await t.put({ pk: 'q', sk });
      expect((await t.query('q', { skPrefix: 'm#' })).items.map((i) => i.sk)).toEqual(['m#001', 'm#002', 'm#003']);
      expect((await t.query('q', { skPrefix: 'm#', reverse: true })).items.map((i) => i.sk)).toEqual(['m#003', 'm#002', 'm#001']);
      const page1 = await t.query('q', { limit: 2 });
      expect(page1.items.map((i) => i.sk)).toEqual(['m#001', 'm#002']);
      expect(page1.last).toBe('m#002');
      const page2 = await t.query('q', { limit: 2, startAfter: page1.last });
      expect(page2.items.map((i) => i.sk)).toEqual(['m#003', 'x#001']);
      expect((await queryAll(t, 'q')).length).toBe(4);
    });

    test('delete with a condition; scan by pk prefix', async () => {
      await t.put({ pk: 'd#1', sk: 's', v: 1 });
      await t.put({ pk: 'd#2', sk: 's', v: 2 });
      await t.put({ pk: 'e#1', sk: 's', v: 3 });
      await expect(t.delete({ pk: 'd#1', sk: 's' }, { all: [{ field: 'v', op: 'eq', value: 9 }] })).rejects.toBeInstanceOf(ConditionFailedError);
      await t.delete({ pk: 'd#1', sk: 's' }, { all: [{ field: 'v', op: 'eq', value: 1 }] });
      expect((await t.scan({ pkPrefix: 'd#' })).map((i) => i.pk)).toEqual(['d#2']);
    });
  });
}
