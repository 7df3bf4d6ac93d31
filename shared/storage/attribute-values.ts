/**
 * Items to DynamoDB attribute values and back, as util-dynamodb's `marshall`
 * and `unmarshall` do with the options the table adapter always used
 * (`removeUndefinedValues`, `convertClassInstanceToMap`): the same values out
 * and the same refusals (NaN, Infinity, unsafe integers, empty sets), checked
 * against util-dynamodb by test/property/attribute-values.test.ts.
 *
 * Ours because util-dynamodb costs about 5 KiB of every bundle; this about 1.
 * Not covered: lib-dynamodb's `NumberValue`, Blobs and Files (AIOS never stores them).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

function typeName(value: unknown): string | undefined {
  return (value as { constructor?: { name?: string } } | null | undefined)?.constructor?.name;
}

function isBinary(value: unknown): value is Uint8Array {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/** Entries kept in a map or list: functions always dropped, undefined dropped. */
const kept = (value: unknown): boolean => typeof value !== 'function' && value !== undefined;

function numberAttribute(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Special numeric value ${String(value)} is not allowed`);
  if (value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER)
    throw new Error(`Number ${String(value)} is outside the safe integer range; store it as a string or a bigint`);
  return String(value);
}

/** A map's entries, or (for…in, as util-dynamodb) an object's enumerable properties, inherited ones included. */
function mapAttribute(value: object): AttributeValue {
  const map: Record<string, AttributeValue> = {};
  const add = (key: string, v: unknown) => {
    if (kept(v)) map[key] = toAttributeValue(v);
  };
  if (value instanceof Map) for (const [key, v] of value) add(key as string, v);
  else for (const key in value) add(key, (value as Record<string, unknown>)[key]);
  return { M: map };
}

function setAttribute(set: Set<unknown>): AttributeValue {
  const items = [...set].filter((v) => v !== undefined);
  if (items.length === 0) throw new Error('Pass a non-empty set');
  const first = items[0];
  if (typeof first === 'number') return { NS: items.map((n) => numberAttribute(n as number)) };
  if (typeof first === 'bigint') return { NS: items.map((n) => String(n)) };
  if (typeof first === 'string') return { SS: items.map((s) => String(s)) };
  if (isBinary(first)) return { BS: items as Uint8Array[] };
  throw new Error('Only Number Set (NS), Binary Set (BS) or String Set (SS) are allowed.');
}

/** One value as an attribute value. @throws for undefined, functions, symbols, NaN/Infinity, unsafe integers, empty or unsupported sets */
export function toAttributeValue(value: unknown): AttributeValue {
  if (value === undefined) throw new Error('An undefined value cannot be stored (only left out of a map or list)');
  if (value === null) return { NULL: true };
  if (Array.isArray(value)) return { L: value.filter(kept).map(toAttributeValue) };
  const name = typeName(value);
  if (name === 'Set') return setAttribute(value as Set<unknown>);
  if (name === 'Map' || (typeof value === 'object' && (name === 'Object' || !(value as object).constructor))) return mapAttribute(value as object);
  if (isBinary(value)) return { B: value as Uint8Array };
  if (typeof value === 'boolean' || name === 'Boolean') return { BOOL: (value as boolean).valueOf() };
  if (typeof value === 'number' || name === 'Number') return { N: numberAttribute((value as number).valueOf()) };
  if (typeof value === 'bigint') return { N: value.toString() };
  if (typeof value === 'string' || name === 'String') return { S: (value as string).toString() };
  // A class instance is stored as the map of its enumerable properties.
  if (typeof value === 'object') return mapAttribute(value);
  throw new Error(`Unsupported type passed: ${String(value)}`);
}

/** A record's fields as attribute values (undefined fields and functions left out). */
export function toAttributeValues(values: Record<string, unknown>): Record<string, AttributeValue> {
  return (toAttributeValue(values) as { M: Record<string, AttributeValue> }).M;
}

function numberValue(text: string): number | bigint {
  const n = Number(text);
  // Beyond the safe range a JS number would lose digits: a bigint keeps them (or the text is refused).
  if ((n > Number.MAX_SAFE_INTEGER || n < Number.MIN_SAFE_INTEGER) && Number.isFinite(n)) {
    try {
      return BigInt(text);
    } catch {
      throw new Error(`${text} can't be converted to BigInt`);
    }
  }
  return n;
}

/** One attribute value as a JS value. */
export function fromAttributeValue(attribute: AttributeValue): unknown {
  for (const [type, value] of Object.entries(attribute) as [string, unknown][]) {
    if (value === undefined) continue;
    switch (type) {
      case 'NULL':
        return null;
      case 'BOOL':
        return Boolean(value);
      case 'N':
        return numberValue(value as string);
      case 'S':
      case 'B':
        return value;
      case 'L':
        return (value as AttributeValue[]).map(fromAttributeValue);
      case 'M':
        return fromAttributeValues(value as Record<string, AttributeValue>);
      case 'NS':
        return new Set((value as string[]).map(numberValue));
      case 'SS':
      case 'BS':
        return new Set(value as unknown[]);
      default:
        throw new Error(`Unsupported type passed: ${type}`);
    }
  }
  throw new Error(`No value defined: ${JSON.stringify(attribute)}`);
}

/** A stored map of attribute values as a record. */
export function fromAttributeValues(attributes: Record<string, AttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) out[key] = fromAttributeValue(value);
  return out;
}
