/**
 * zod's functional entry (`zod/mini`) with English messages, for every schema
 * a Lambda carries: the same core and the same parse results as classic zod,
 * but esbuild keeps only the checks a schema uses (a contract costs ~15 KiB
 * of a bundle where classic zod's methods pull in ~100 KiB). Classic zod
 * stays where size does not matter (definition validation, CLI, docs).
 *
 * zod/mini loads no locale of its own: without one, every issue reads
 * "Invalid input". zod's English locale costs every bundle ~3.1 KiB (its
 * tables name formats no handler schema has, and its helpers); this map says
 * the same words for the issues our schemas can raise (no handler schema
 * checks a multiple, a suffix, a set, a map or a discriminated union: those
 * read "Invalid input") in ~1.5 KiB.
 * test/unit/mini-zod-messages.test.ts holds it to the locale's wording.
 */
import type { $ZodErrorMap, $ZodRawIssue } from 'zod/v4/core';
import { check, config } from 'zod/mini';

/** What a length is counted in, by the kind of value checked. */
const UNITS: Readonly<Record<string, string>> = { string: 'characters', array: 'items' };
/** The string formats handler schemas check, as a person names them; any other reads as its own name. */
const FORMATS: Readonly<Record<string, string>> = { regex: 'input', url: 'URL', email: 'email address', datetime: 'ISO datetime', date: 'ISO date' };

/** The type of a value parsed from JSON or the environment (the locale also names class instances; no handler is given one). */
function typeName(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : String(value);
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

const quoted = (value: unknown) => (typeof value === 'string' ? `"${value}"` : typeof value === 'bigint' ? `${value}n` : String(value));

function bound(kind: 'big' | 'small', origin: string | undefined, limit: unknown, exact?: boolean, inclusive?: boolean): string {
  const adj = exact ? 'exactly ' : `${kind === 'big' ? '<' : '>'}${inclusive ? '=' : ''}`;
  const unit = origin && UNITS[origin];
  return `Too ${kind}: expected ${origin ?? 'value'} to ${unit ? `have ${adj}${limit} ${unit}` : `be ${adj}${limit}`}`;
}

/** The fields of the issues worded here (each code sets some of them). */
interface IssueFields {
  code?: string;
  expected?: string;
  input?: unknown;
  values: readonly unknown[];
  origin?: string;
  maximum?: unknown;
  minimum?: unknown;
  exact?: boolean;
  inclusive?: boolean;
  format: string;
  prefix?: string;
  includes?: string;
  pattern?: string;
  keys: readonly string[];
}

/** An issue in English, as zod's `en` locale words it. */
export const englishIssue: $ZodErrorMap = (issue: $ZodRawIssue): string => {
  const i = issue as unknown as IssueFields;
  switch (i.code) {
    case 'invalid_type':
      return `Invalid input: expected ${i.expected === 'nan' ? 'NaN' : i.expected}, received ${typeName(i.input)}`;
    case 'invalid_value':
      return i.values.length === 1 ? `Invalid input: expected ${quoted(i.values[0])}` : `Invalid option: expected one of ${i.values.map(quoted).join('|')}`;
    case 'too_big':
      return bound('big', i.origin, i.maximum, i.exact, i.inclusive);
    case 'too_small':
      return bound('small', i.origin, i.minimum, i.exact, i.inclusive);
    case 'invalid_format': {
      const { format } = i;
      if (format === 'starts_with') return `Invalid string: must start with "${i.prefix}"`;
      if (format === 'includes') return `Invalid string: must include "${i.includes}"`;
      if (format === 'regex') return `Invalid string: must match pattern ${i.pattern}`;
      return `Invalid ${FORMATS[format] ?? format}`;
    }
    case 'unrecognized_keys':
      return `Unrecognized key${i.keys.length > 1 ? 's' : ''}: ${i.keys.map(quoted).join(', ')}`;
    case 'invalid_key':
      return `Invalid key in ${i.origin}`;
    default:
      return 'Invalid input';
  }
};

config({ localeError: englishIssue });

/**
 * A check that `test` holds for the value, failing with `message`: what `refine` checks, as a plain check. A
 * refinement is a schema of its own (zod's custom type, ~0.6 KiB in a bundle that has no other).
 * @example z.string().check(z.predicate(isHttpUrl, 'Invalid URL'))
 */
export function predicate<T>(test: (value: T) => boolean, message: string) {
  return check<T>((ctx) => {
    if (!test(ctx.value)) ctx.issues.push({ code: 'custom', message, input: ctx.value });
  });
}

/**
 * The schema `build` makes, built when first asked for and kept: a schema built at module level is built while the
 * Lambda loads, where only the environment's is needed (the module's own checks run on a request). Marked free of side
 * effects, so a bundle that never asks for it drops it.
 * @example const eventSchema = z.builtOnFirstUse(() => z.object({ id: z.string() })); z.parse(eventSchema(), raw)
 */
/* @__NO_SIDE_EFFECTS__ */
export function builtOnFirstUse<S>(build: () => S): () => S {
  let built: S | undefined;
  return () => (built ??= build());
}

// Re-exported name by name (import it as `* as z`): a namespace object passed on as a value would keep all of zod/mini.
export * from 'zod/mini';
