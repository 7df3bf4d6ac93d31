/**
 * Static check of a `when` expression against a tool's input JSON Schema
 * (from `z.toJSONSchema(tool.input, { io: 'input' })`), run when the
 * definition loads: every field path must exist in the schema, and each
 * comparison must be between compatible types, so that a typo such as
 * `ammount <= 50` (which would simply never match) fails early instead.
 */
import type { Expression, LiteralValue } from './ast';

export interface ExpressionIssue {
  /** 0-based offset in the source. */
  position: number;
  /** The dotted field path concerned, when there is one. */
  field?: string;
  message: string;
}

type JsonType = 'number' | 'string' | 'boolean' | 'null' | 'array' | 'object';

/** What the checker knows about a value: its possible JSON types (`any` = unknown), enum values, list item types. */
interface Shape {
  types: Set<JsonType> | 'any';
  enumValues?: unknown[];
  items?: Shape;
}

type JsonSchema = Record<string, unknown>;

const ANY: Shape = { types: 'any' };

function literalType(v: LiteralValue): JsonType {
  return v === null ? 'null' : (typeof v as 'number' | 'string' | 'boolean');
}

function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  let target: unknown = root;
  for (const part of ref.slice(2).split('/')) target = (target as JsonSchema | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return (target as JsonSchema | undefined) ?? {};
}

/** The alternatives of a schema (anyOf/oneOf flattened). */
function alternatives(schema: JsonSchema, root: JsonSchema, depth = 0): JsonSchema[] {
  const s = resolveRef(schema, root);
  const alts = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alts) && depth < 16) return alts.flatMap((a) => alternatives(a, root, depth + 1));
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return [Object.assign({}, ...(s.allOf as JsonSchema[]).map((a) => resolveRef(a, root)))];
  return [s];
}

function typesOf(schema: JsonSchema): Set<JsonType> | 'any' {
  const type = schema.type;
  if ('const' in schema) return new Set([schema.const === null ? 'null' : (typeof schema.const as JsonType)]);
  if (Array.isArray(schema.enum)) return new Set(schema.enum.map((v) => (v === null ? 'null' : (typeof v as JsonType))));
  if (type === undefined) return 'any';
  const list = (Array.isArray(type) ? type : [type]) as string[];
  return new Set(list.map((t) => (t === 'integer' ? 'number' : (t as JsonType))));
}

function shapeOf(schema: JsonSchema, root: JsonSchema): Shape {
  const alts = alternatives(schema, root);
  let types: Set<JsonType> | 'any' = new Set();
  const enumValues: unknown[] = [];
  let enumComplete = true;
  let items: Shape | undefined;
  for (const alt of alts) {
    const t = typesOf(alt);
    if (t === 'any' || types === 'any') types = 'any';
    else for (const x of t) types.add(x);
    if (Array.isArray(alt.enum)) enumValues.push(...alt.enum);
    else if ('const' in alt) enumValues.push(alt.const);
    else enumComplete = false;
    if (alt.items && typeof alt.items === 'object' && !Array.isArray(alt.items)) items = shapeOf(alt.items as JsonSchema, root);
  }
  return { types, ...(enumComplete && enumValues.length ? { enumValues } : {}), ...(items ? { items } : {}) };
}

/** The schema of a field path, or undefined when the schema says it cannot exist. */
function lookup(schema: JsonSchema, path: readonly string[], root: JsonSchema): JsonSchema | undefined | 'any' {
  if (path.length === 0) return schema;
  const [head, ...rest] = path;
  const found: JsonSchema[] = [];
  let open = false;
  for (const alt of alternatives(schema, root)) {
    const properties = alt.properties as Record<string, JsonSchema> | undefined;
    if (properties && Object.hasOwn(properties, head)) {
      found.push(properties[head]);
      continue;
    }
    // Fields outside `properties` are unknown (zod strips them before the tool sees them),
    // unless the schema says any extra field is allowed.
    const additional = alt.additionalProperties;
    if (additional && typeof additional === 'object') found.push(additional as JsonSchema);
    else if (additional === true) open = true;
    else if (!properties && (alt.type === undefined || alt.type === 'object') && additional !== false) open = true;
  }
  if (found.length === 0) return open ? 'any' : undefined;
  const next = found.length === 1 ? found[0] : { anyOf: found };
  return lookup(next, rest, root);
}

function describe(types: Set<JsonType> | 'any'): string {
  return types === 'any' ? 'any' : [...types].join(' | ');
}

function overlaps(a: Shape, b: Shape): boolean {
  if (a.types === 'any' || b.types === 'any') return true;
  for (const t of a.types) if (b.types.has(t)) return true;
  return false;
}

/**
 * Checks an expression against a JSON Schema of the tool input.
 * Returns no issues when it is consistent.
 *
 * @example checkExpression(parseExpression('ammount <= 50'), z.toJSONSchema(refundInput, { io: 'input' }))
 * // [{ position: 0, field: 'ammount', message: 'field "ammount" is not in the tool input (fields: orderId, amount, ...)' }]
 */
export function checkExpression(expression: Expression, inputJsonSchema: object): ExpressionIssue[] {
  const root = inputJsonSchema as JsonSchema;
  const issues: ExpressionIssue[] = [];

  const shape = (e: Expression): Shape => {
    switch (e.kind) {
      case 'literal':
        return { types: new Set([literalType(e.value)]), enumValues: [e.value] };
      case 'list': {
        const itemShapes = e.items.map(shape);
        const types = new Set<JsonType>();
        let any = false;
        for (const s of itemShapes) {
          if (s.types === 'any') any = true;
          else for (const t of s.types) types.add(t);
        }
        return { types: new Set(['array']), items: { types: any ? 'any' : types } };
      }
      case 'path': {
        const field = e.path.join('.');
        const found = lookup(root, e.path, root);
        if (found === undefined) {
          const parent = e.path.length > 1 ? lookup(root, e.path.slice(0, -1), root) : root;
          const names = parent && parent !== 'any' ? alternatives(parent, root).flatMap((a) => Object.keys((a.properties as object | undefined) ?? {})) : [];
          issues.push({
            position: e.pos,
            field,
            message: `field "${field}" is not in the tool input${names.length ? ` (fields here: ${[...new Set(names)].join(', ')})` : ''}`,
          });
          return ANY;
        }
        return found === 'any' ? ANY : shapeOf(found, root);
      }
      case 'compare': {
        const left = shape(e.left);
        const right = shape(e.right);
        const field = e.left.kind === 'path' ? e.left.path.join('.') : e.right.kind === 'path' ? e.right.path.join('.') : undefined;
        if (e.op === '==' || e.op === '!=') {
          const nullable = (s: Shape) => s.types !== 'any' && s.types.has('null');
          // Comparing with null asks "is it missing", always meaningful for a field.
          const isNullLiteral = (x: Expression) => x.kind === 'literal' && x.value === null;
          if (!isNullLiteral(e.left) && !isNullLiteral(e.right) && !overlaps(left, right) && !(nullable(left) && nullable(right))) {
            issues.push({
              position: e.pos,
              field,
              message: `"${e.op}" compares ${describe(left.types)} with ${describe(right.types)}: it can never be ${e.op === '==' ? 'true' : 'false'}`,
            });
          } else checkEnum(e.left, e.right, left, right);
        } else {
          const orderable = (s: Shape) => s.types === 'any' || s.types.has('number') || s.types.has('string');
          if (!orderable(left) || !orderable(right)) {
            issues.push({ position: e.pos, field, message: `"${e.op}" needs numbers or strings, found ${describe(left.types)} and ${describe(right.types)}` });
          } else if (!overlaps({ types: left.types === 'any' ? 'any' : new Set([...left.types].filter((t) => t === 'number' || t === 'string')) }, right)) {
            issues.push({ position: e.pos, field, message: `"${e.op}" compares ${describe(left.types)} with ${describe(right.types)}: it is never true` });
          }
        }
        return { types: new Set(['boolean']) };
      }
      case 'in': {
        const left = shape(e.left);
        const right = shape(e.right);
        const field = e.left.kind === 'path' ? e.left.path.join('.') : e.right.kind === 'path' ? e.right.path.join('.') : undefined;
        if (right.types !== 'any' && !right.types.has('array')) {
          issues.push({ position: e.right.pos, field, message: `"in" needs a list on its right, found ${describe(right.types)}` });
        } else if (right.items && !overlaps(left, right.items)) {
          issues.push({ position: e.pos, field, message: `"in" looks for ${describe(left.types)} among ${describe(right.items.types)}: never found` });
        } else if (e.right.kind === 'list' && left.enumValues && e.left.kind === 'path') {
          for (const item of e.right.items) {
            if (item.kind === 'literal' && !left.enumValues.some((v) => v === item.value)) {
              issues.push({
                position: item.pos,
                field,
                message: `${JSON.stringify(item.value)} is not an allowed value of "${field}" (allowed: ${left.enumValues.map((v) => JSON.stringify(v)).join(', ')})`,
              });
            }
          }
        }
        return { types: new Set(['boolean']) };
      }
      case 'and':
      case 'or':
        e.operands.forEach((o) => requireBoolean(o));
        return { types: new Set(['boolean']) };
      case 'not':
        requireBoolean(e.operand);
        return { types: new Set(['boolean']) };
    }
  };

  const requireBoolean = (e: Expression): void => {
    const s = shape(e);
    if (s.types !== 'any' && !s.types.has('boolean')) {
      issues.push({
        position: e.pos,
        field: e.kind === 'path' ? e.path.join('.') : undefined,
        message: `expected a condition (true or false), found ${describe(s.types)}`,
      });
    }
  };

  const checkEnum = (a: Expression, b: Expression, sa: Shape, sb: Shape): void => {
    for (const [path, lit, pathShape] of [
      [a, b, sa],
      [b, a, sb],
    ] as const) {
      if (path.kind === 'path' && lit.kind === 'literal' && lit.value !== null && pathShape.enumValues && !pathShape.enumValues.some((v) => v === lit.value)) {
        issues.push({
          position: lit.pos,
          field: path.path.join('.'),
          message: `${JSON.stringify(lit.value)} is not an allowed value of "${path.path.join('.')}" (allowed: ${pathShape.enumValues.map((v) => JSON.stringify(v)).join(', ')})`,
        });
      }
    }
  };

  requireBoolean(expression);
  return issues;
}
