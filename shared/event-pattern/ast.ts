/**
 * The parsed form of an EventBridge event pattern. `parseEventPattern`
 * produces it (with the problems found); the compiler turns it into closures.
 */

/** A JSON scalar as it may appear in an event or as an exact pattern value. */
export type Scalar = string | number | boolean | null;

/** One bound of a numeric range. */
export interface NumericBound {
  value: number;
  inclusive: boolean;
}

/** An IP address as a big integer, tagged with its family (4 or 16 bytes). */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export type Condition =
  /** `literal`: from `exactly`, compared as text even when it spells an IP address. */
  | { type: 'exact'; value: Scalar; literal?: boolean }
  | { type: 'prefix'; value: string; ignoreCase: boolean }
  | { type: 'suffix'; value: string; ignoreCase: boolean }
  | { type: 'equals-ignore-case'; value: string }
  | { type: 'wildcard'; value: string }
  | { type: 'numeric'; lower?: NumericBound; upper?: NumericBound }
  | { type: 'exists'; value: boolean }
  | { type: 'cidr'; family: 4 | 6; low: bigint; high: bigint }
  | { type: 'anything-but'; numbers: number[]; strings: string[] }
  | { type: 'anything-but-string'; mode: 'prefix' | 'suffix' | 'equals-ignore-case' | 'wildcard'; values: string[] };

/** A leaf field: the event value at `key` matches when any condition does. */
export interface LeafField {
  kind: 'leaf';
  key: string;
  conditions: Condition[];
}

/** A nested field: the event value at `key` must match `node`. */
export interface NestedField {
  kind: 'nested';
  key: string;
  node: PatternNode;
}

/** An object of the pattern: every field matches (AND) and, if present, one `$or` branch. */
export interface PatternNode {
  fields: Array<LeafField | NestedField>;
  /** Alternatives of a `$or` at this level (each applies to the same event object). */
  or: PatternNode[] | null;
}
