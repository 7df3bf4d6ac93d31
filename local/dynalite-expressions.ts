/**
 * dynalite parses every expression of every request (a condition, an update,
 * a key condition, a projection) with its PEG parsers: the same few
 * expressions the functions send again and again, each parse a few thousand
 * steps, 4% of the runtime's CPU on a dispute run. A parse depends on the
 * expression, the attribute names, and the attribute values only through
 * their types (a value is checked for its type and then carried into the tree
 * as it is), except in a BETWEEN (its bounds are compared) and in
 * `attribute_type` (its type name is checked). So a successful parse is kept
 * as a template, keyed by the expression, the names and the values' types,
 * and answered again as a fresh tree holding the new request's values; a
 * tree with BETWEEN or `attribute_type` in it, and every failure, is parsed
 * each time. The parser also marks the names and values an expression uses
 * (it deletes them from the context's unused sets, which dynalite checks
 * after every expression): a kept template remembers which, and marks them.
 */

type AttributeValue = Record<string, unknown>;

/** What dynalite's validation hands its parsers (validations/index.js `parse`). */
export interface ParseContext {
  attrNames?: Record<string, string> | null;
  attrVals?: Record<string, AttributeValue> | null;
  unusedAttrNames?: Record<string, boolean>;
  unusedAttrVals?: Record<string, boolean>;
  [other: string]: unknown;
}

export type Parse = (input: string, options: { context: ParseContext }) => unknown;

/** Where a template holds one of the request's attribute values. */
class ValueSlot {
  constructor(readonly name: string) {}
}

interface Kept {
  template: unknown;
  names: string[];
  values: string[];
}

/** Most templates kept per parser: the functions send a few dozen distinct expressions. */
const MOST_KEPT = 2_000;

/**
 * The expression, its names (as JSON: an attribute name may hold any character) and each value's name and type
 * members (dynalite has checked both before it parses: `:` and word characters, and the type names it knows).
 */
function keyOf(input: string, context: ParseContext): string {
  let key = `${input}\u0000${JSON.stringify(context.attrNames ?? null)}\u0000`;
  const values = context.attrVals;
  if (values) for (const name in values) key += `${name}=${Object.keys(values[name] ?? {}).join('+')};`;
  return key;
}

/** Whether a tree's meaning depends on its values beyond their types. */
function readsValues(node: unknown, seen = new Set<unknown>()): boolean {
  if (node === null || typeof node !== 'object' || seen.has(node)) return false;
  seen.add(node);
  const record = node as Record<string, unknown>;
  if (!Array.isArray(node) && (record.type === 'between' || (record.type === 'function' && record.name === 'attribute_type'))) return true;
  for (const key in record) if (readsValues(record[key], seen)) return true;
  return false;
}

/** Copies a tree, with `swap` deciding what stands for a node (undefined: copy it); a node met twice is copied once. */
function copyTree(node: unknown, swap: (node: object) => unknown, copies = new Map<object, unknown>()): unknown {
  if (node === null || typeof node !== 'object') return node;
  const swapped = swap(node);
  if (swapped !== undefined) return swapped;
  const known = copies.get(node);
  if (known !== undefined) return known;
  if (Array.isArray(node)) {
    const copy: unknown[] = [];
    copies.set(node, copy);
    for (const item of node) copy.push(copyTree(item, swap, copies));
    return copy;
  }
  // dynalite makes some of its maps without a prototype (Object.create(null)): the copy keeps it that way.
  const copy = Object.create(Object.getPrototypeOf(node) as object | null) as Record<string, unknown>;
  copies.set(node, copy);
  for (const key of Object.keys(node)) copy[key] = copyTree((node as Record<string, unknown>)[key], swap, copies);
  return copy;
}

/** `parse`, keeping the template of each successful parse that depends on its values only through their types. */
export function keepingTemplates(parse: Parse): Parse {
  const kept = new Map<string, Kept>();
  return (input, options) => {
    const context = options.context;
    const key = keyOf(input, context);
    const found = kept.get(key);
    const values = context.attrVals ?? {};
    if (found) {
      for (const name of found.names) delete context.unusedAttrNames?.[name];
      for (const name of found.values) delete context.unusedAttrVals?.[name];
      return copyTree(found.template, (node) => (node instanceof ValueSlot ? values[node.name] : undefined));
    }
    // Parsed against unused sets of its own, which then say which names and values this expression uses.
    const unusedNames: Record<string, boolean> = {};
    const unusedValues: Record<string, boolean> = {};
    for (const name in context.attrNames ?? {}) unusedNames[name] = true;
    for (const name in values) unusedValues[name] = true;
    const result = parse(input, { ...options, context: { ...context, unusedAttrNames: unusedNames, unusedAttrVals: unusedValues } });
    const names = Object.keys(context.attrNames ?? {}).filter((name) => !(name in unusedNames));
    const used = Object.keys(values).filter((name) => !(name in unusedValues));
    for (const name of names) delete context.unusedAttrNames?.[name];
    for (const name of used) delete context.unusedAttrVals?.[name];
    if (result !== null && typeof result === 'object' && !readsValues(result)) {
      const slots = new Map<object, ValueSlot>();
      for (const name of used) if (values[name] !== null && typeof values[name] === 'object') slots.set(values[name], new ValueSlot(name));
      if (kept.size >= MOST_KEPT) kept.delete(kept.keys().next().value!);
      kept.set(key, { template: copyTree(result, (node) => slots.get(node)), names, values: used });
    }
    return result;
  };
}

/** dynalite's three expression parsers, as its validation requires them. */
const PARSERS = ['dynalite/db/conditionParser', 'dynalite/db/updateParser', 'dynalite/db/projectionParser'];
let installed = false;

/** Every dynalite in this process keeps its parsed expressions from now on. Idempotent. */
export function installExpressionTemplates(): void {
  if (installed) return;
  for (const name of PARSERS) {
    // dynalite ships no types.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parser = require(name) as { parse: Parse };
    parser.parse = keepingTemplates(parser.parse);
  }
  installed = true;
}
