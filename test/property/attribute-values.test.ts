/**
 * The table adapter's own conversion (shared/storage/attribute-values.ts)
 * against util-dynamodb's, with the options the adapter used through the
 * document client: the same attribute values for every item, the same
 * items back, the same refusals.
 */
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { fromAttributeValues, toAttributeValue, toAttributeValues } from '../../shared/storage/attribute-values';

const OPTIONS = { removeUndefinedValues: true, convertClassInstanceToMap: true };

class Money {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}
}

const safeNumber = fc.oneof(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.double({ noNaN: true, noDefaultInfinity: true }));
const leaf = fc.oneof(
  fc.string(),
  safeNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  fc.uint8Array({ maxLength: 8 }),
  fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 4 }).map((a) => new Set(a)),
  fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 4 }).map((a) => new Set(a)),
  fc.tuple(safeNumber, fc.string()).map(([a, c]) => new Money(a, c)),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 })),
}));
const item = fc.dictionary(fc.string(), value, { maxKeys: 6 });

test('every item converts to the attribute values util-dynamodb makes (or is refused as it refuses it), and back to what it reads', () => {
  fc.assert(
    fc.property(item, (i) => {
      let theirs;
      try {
        theirs = marshall(i, OPTIONS);
      } catch {
        expect(() => toAttributeValues(i)).toThrow();
        return;
      }
      const ours = toAttributeValues(i);
      expect(ours).toStrictEqual(theirs);
      expect(fromAttributeValues(ours)).toStrictEqual(unmarshall(ours));
    }),
    { numRuns: 500 },
  );
});

test('numbers DynamoDB items cannot hold as JS numbers are refused or read as bigints, as util-dynamodb does', () => {
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2, -(Number.MAX_SAFE_INTEGER + 2)]) {
    expect(() => marshall({ n: bad }, OPTIONS)).toThrow();
    expect(() => toAttributeValues({ n: bad })).toThrow();
  }
  const big = { n: { N: '123456789012345678901234567890' } };
  expect(fromAttributeValues(big)).toStrictEqual(unmarshall(big));
  expect(fromAttributeValues(big).n).toBe(123456789012345678901234567890n);
  expect(() => toAttributeValue(new Set())).toThrow(/non-empty set/);
  expect(() => toAttributeValue(undefined)).toThrow();
  expect(() => toAttributeValue(() => 1)).toThrow(/Unsupported/);
});
