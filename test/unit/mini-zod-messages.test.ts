/**
 * shared/mini-zod.ts words issues with its own small map instead of zod's
 * English locale: for every kind of issue the handlers' schemas can raise,
 * it must say exactly what the locale says.
 */
import { en } from 'zod/locales';
import type { $ZodRawIssue } from 'zod/v4/core';
import * as z from '../../shared/mini-zod';

const locale = en().localeError;

/** Failing inputs for each check the handler schemas use (shared/contracts, events, shared/tools, the environment). */
const CASES: [string, z.ZodMiniType, unknown][] = [
  ['string given a number', z.string(), 1],
  ['string given null', z.string(), null],
  ['string given an array', z.string(), []],
  ['number given NaN', z.number(), NaN],
  ['number given Infinity', z.number(), Infinity],
  ['int given a fraction', z.int(), 1.5],
  ['boolean given a string', z.boolean(), 'yes'],
  ['object given undefined', z.object({ a: z.string() }), undefined],
  ['missing field', z.object({ a: z.string() }), {}],
  ['array given an object', z.array(z.string()), {}],
  ['literal', z.literal('USD'), 'EUR'],
  ['literal number', z.literal(3), 4],
  ['enum', z.enum(['sha1', 'sha256']), 'md5'],
  ['min length', z.string().check(z.minLength(5)), 'abc'],
  ['max length', z.string().check(z.maxLength(2)), 'abc'],
  ['exact length', z.string().check(z.length(4)), 'abc'],
  ['array min', z.array(z.string()).check(z.minLength(1)), []],
  ['array max', z.array(z.string()).check(z.maxLength(1)), ['a', 'b']],
  ['minimum', z.number().check(z.minimum(1)), 0],
  ['maximum', z.number().check(z.maximum(10_000)), 10_001],
  ['positive', z.int().check(z.positive()), 0],
  ['nonnegative', z.int().check(z.nonnegative()), -1],
  ['regex without a message', z.string().check(z.regex(/^\d+$/)), 'x'],
  ['starts with', z.string().check(z.startsWith('arn:')), 'x'],
  ['includes', z.string().check(z.includes('{body}')), 'x'],
  ['url', z.url(), 'not a url'],
  ['url protocol', z.url({ protocol: /^https?$/ }), 'ftp://example.com'],
  ['email', z.email(), 'nobody'],
  ['iso datetime', z.iso.datetime(), 'yesterday'],
  ['iso date', z.iso.date(), '2026-13-45'],
  ['strict object', z.strictObject({ a: z.string() }), { a: 'x', b: 1 }],
  ['strict object, two keys', z.strictObject({}), { b: 1, c: 2 }],
  ['record key', z.record(z.enum(['a']), z.string()), { b: 'x' }],
  ['union', z.union([z.string(), z.number()]), true],
  ['custom without a message', z.custom<string>((v) => typeof v === 'string'), 1],
  ['undefined', z.undefined(), 'x'],
];

test.each(CASES)('%s: the same words as zod’s English locale', (_name, schema, input) => {
  const result = z.safeParse(schema, input, { reportInput: true });
  expect(result.success).toBe(false);
  for (const issue of result.error!.issues) {
    const raw = issue as unknown as $ZodRawIssue;
    expect(z.englishIssue(raw)).toBe(locale(raw));
  }
});

test('a parse failure reads in English, not "Invalid input"', () => {
  expect(z.config().localeError).toBe(z.englishIssue);
  const result = z.safeParse(z.strictObject({ amount: z.number().check(z.maximum(100)), currency: z.literal('USD') }), { amount: 500, currency: 'EUR', x: 1 });
  expect(result.error!.issues.map((i) => i.message)).toEqual([
    'Too big: expected number to be <=100',
    'Invalid input: expected "USD"',
    'Unrecognized key: "x"',
  ]);
});

test('a predicate check fails as a refinement does: a custom issue at the value, with its message', () => {
  const even = (n: number) => n % 2 === 0;
  const schema = z.strictObject({ n: z.number().check(z.predicate(even, 'an even number')) });
  const refined = z.strictObject({ n: z.number().check(z.refine(even, 'an even number')) });
  expect(schema.safeParse({ n: 4 })).toEqual({ success: true, data: { n: 4 } });
  const issues = schema.safeParse({ n: 3 }).error!.issues;
  expect(issues).toEqual([{ code: 'custom', path: ['n'], message: 'an even number' }]);
  expect(issues).toEqual(refined.safeParse({ n: 3 }).error!.issues);
});
