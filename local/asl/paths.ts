/**
 * JSONPath for ASL. Reference paths (`$.a.b[0]`, `$['x']`) are parsed once and
 * walked directly — they are nearly all of what compiled workflows use and
 * jsonpath-plus costs ~20 µs a call; anything else (wildcards, filters,
 * slices, recursive descent) goes to jsonpath-plus.
 */
import { JSONPath } from 'jsonpath-plus';
import type { JsonValue } from './types';

type Segment = string | number;

const referenceCache = new Map<string, Segment[] | null>();

/** Parses a reference path into segments, or null if it is not one. */
export function parseReferencePath(path: string): Segment[] | null {
  const cached = referenceCache.get(path);
  if (cached !== undefined) return cached;
  const parsed = parseSegments(path);
  if (referenceCache.size > 10_000) referenceCache.clear();
  referenceCache.set(path, parsed);
  return parsed;
}

function parseSegments(path: string): Segment[] | null {
  if (!path.startsWith('$')) return null;
  const segments: Segment[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      const name = path.slice(i + 1, j);
      if (!name || name === '*' || name.includes('@') || name.includes('(')) return null;
      if (path[j] === '.' && path[j + 1] === '.') return null;
      segments.push(name);
      i = j;
    } else if (c === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) return null;
      const inner = path.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else if (/^'[^']*'$/.test(inner) || /^"[^"]*"$/.test(inner)) segments.push(inner.slice(1, -1));
      else return null;
      i = close + 1;
    } else {
      return null;
    }
  }
  return segments;
}

/** True when the path is a reference path (selects at most one node). */
export function isReferencePath(path: string): boolean {
  return parseReferencePath(path) !== null;
}

/** Sentinel for "the path selects nothing". */
export const NOT_FOUND: unique symbol = Symbol('not found');

/**
 * Evaluates `path` against `data`. A reference path returns the node or
 * NOT_FOUND; any other path returns the array of matches (AWS returns the
 * list of matches for indefinite paths).
 */
export function queryPath(path: string, data: JsonValue): JsonValue | typeof NOT_FOUND {
  const segments = parseReferencePath(path);
  if (segments) {
    let node: JsonValue = data;
    for (const seg of segments) {
      if (typeof seg === 'number') {
        if (!Array.isArray(node) || seg >= node.length) return NOT_FOUND;
        node = node[seg];
      } else {
        if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, seg)) return NOT_FOUND;
        node = (node as Record<string, JsonValue>)[seg];
      }
    }
    return node;
  }
  if (!path.startsWith('$')) return NOT_FOUND;
  const matches = JSONPath({ path, json: data as object, wrap: true }) as JsonValue[];
  return matches;
}

/**
 * Writes `value` at reference path `path` in a copy of `target` (only the
 * nodes along the path are copied). Returns null when the path cannot be
 * written (not a reference path, or it crosses a non-object).
 */
export function setAtPath(path: string, target: JsonValue, value: JsonValue): JsonValue | null {
  const segments = parseReferencePath(path);
  if (!segments) return null;
  if (segments.length === 0) return value;
  const write = (node: JsonValue | undefined, depth: number): JsonValue | null => {
    const seg = segments[depth];
    const last = depth === segments.length - 1;
    if (typeof seg === 'number') {
      if (!Array.isArray(node) || seg >= node.length) return null;
      const copy = node.slice();
      const child = last ? value : write(copy[seg], depth + 1);
      if (child === null && !last) return null;
      copy[seg] = child as JsonValue;
      return copy;
    }
    let base: Record<string, JsonValue>;
    if (node === undefined) base = {};
    else if (node !== null && typeof node === 'object' && !Array.isArray(node)) base = { ...node };
    else return null;
    if (last) {
      base[seg] = value;
      return base;
    }
    const child = write(base[seg], depth + 1);
    if (child === null) return null;
    base[seg] = child;
    return base;
  };
  return write(target, 0);
}
