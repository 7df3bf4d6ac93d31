/**
 * Patterns EventBridge refuses (InvalidEventPatternException) and patterns it
 * accepts, with the JSON path the problem must name.
 */

export interface InvalidCase {
  name: string;
  pattern: unknown;
  /** A fragment the first problem must contain (the path and the reason). */
  problem: string;
}

export const invalidCases: InvalidCase[] = [
  { name: 'array pattern', pattern: [], problem: '$: an event pattern must be a JSON object' },
  { name: 'string pattern', pattern: 'source', problem: '$: an event pattern must be a JSON object' },
  { name: 'null pattern', pattern: null, problem: '$: an event pattern must be a JSON object' },
  { name: 'empty pattern', pattern: {}, problem: '$: empty objects are not allowed' },
  { name: 'empty nested object', pattern: { detail: {} }, problem: '$.detail: empty objects are not allowed' },
  { name: 'leaf string, not array', pattern: { source: 'aws.ec2' }, problem: '$.source: must be an object (nested fields) or an array' },
  { name: 'leaf number, not array', pattern: { detail: { n: 5 } }, problem: '$.detail.n: must be an object' },
  { name: 'leaf null', pattern: { source: null }, problem: '$.source: must be an object' },
  { name: 'empty array', pattern: { source: [] }, problem: '$.source: empty arrays are not allowed' },
  { name: 'array in values', pattern: { source: [['a']] }, problem: '$.source[0]: a match value must be a string' },
  { name: 'empty match expression', pattern: { source: [{}] }, problem: '$.source[0]: empty match expression' },
  { name: 'two keys in a match expression', pattern: { source: [{ prefix: 'a', suffix: 'b' }] }, problem: '$.source[0]: only one key is allowed' },
  { name: 'unknown operator', pattern: { source: [{ contains: 'a' }] }, problem: '$.source[0]: unrecognized match type "contains"' },
  { name: 'prefix number', pattern: { source: [{ prefix: 1 }] }, problem: '$.source[0].prefix: prefix must be a string' },
  {
    name: 'prefix object other than equals-ignore-case',
    pattern: { source: [{ prefix: { wildcard: 'a' } }] },
    problem: '$.source[0].prefix: the only expression allowed inside prefix',
  },
  {
    name: 'prefix equals-ignore-case number',
    pattern: { source: [{ prefix: { 'equals-ignore-case': 1 } }] },
    problem: '["equals-ignore-case"]: equals-ignore-case must be a string',
  },
  { name: 'suffix array', pattern: { f: [{ suffix: ['.png'] }] }, problem: '$.f[0].suffix: suffix must be a string' },
  { name: 'equals-ignore-case number', pattern: { f: [{ 'equals-ignore-case': 1 }] }, problem: 'equals-ignore-case must be a string' },
  { name: 'exactly number', pattern: { f: [{ exactly: 1 }] }, problem: '$.f[0].exactly: exactly must be a string' },
  { name: 'wildcard number', pattern: { f: [{ wildcard: 1 }] }, problem: '$.f[0].wildcard: wildcard must be a string' },
  { name: 'wildcard consecutive stars', pattern: { f: [{ wildcard: 'a**b' }] }, problem: 'consecutive wildcard characters at position 1' },
  { name: 'wildcard bad escape', pattern: { f: [{ wildcard: 'a\\b' }] }, problem: 'invalid escape at position 1' },
  { name: 'wildcard trailing backslash', pattern: { f: [{ wildcard: 'a\\' }] }, problem: 'invalid escape' },
  { name: 'exists string', pattern: { f: [{ exists: 'true' }] }, problem: '$.f[0].exists: exists must be true or false' },
  { name: 'numeric not an array', pattern: { n: [{ numeric: 5 }] }, problem: '$.n[0].numeric: numeric must be an array' },
  { name: 'numeric unknown operator', pattern: { n: [{ numeric: ['!=', 5] }] }, problem: '$.n[0].numeric[0]: unrecognized numeric operator' },
  { name: 'numeric string operand', pattern: { n: [{ numeric: ['>', '5'] }] }, problem: '$.n[0].numeric[1]: the value after ">" must be a number' },
  { name: 'numeric missing operand', pattern: { n: [{ numeric: ['<'] }] }, problem: '$.n[0].numeric[1]' },
  { name: 'numeric equals with extra', pattern: { n: [{ numeric: ['=', 5, '<', 6] }] }, problem: 'too many elements after "="' },
  { name: 'numeric < then >', pattern: { n: [{ numeric: ['<', 5, '>', 1] }] }, problem: 'too many elements after "<"' },
  { name: 'numeric > then >', pattern: { n: [{ numeric: ['>', 1, '>', 5] }] }, problem: "$.n[0].numeric[2]: a range's upper operator" },
  { name: 'numeric range missing top', pattern: { n: [{ numeric: ['>', 1, '<'] }] }, problem: '$.n[0].numeric[3]' },
  { name: 'numeric range too many terms', pattern: { n: [{ numeric: ['>', 1, '<', 5, 6] }] }, problem: 'too many terms' },
  { name: 'numeric empty range', pattern: { n: [{ numeric: ['>', 5, '<', 5] }] }, problem: 'lower bound 5 must be less than its upper bound 5' },
  { name: 'numeric inverted range', pattern: { n: [{ numeric: ['>=', 9, '<=', 1] }] }, problem: 'must be less than' },
  { name: 'numeric out of range', pattern: { n: [{ numeric: ['>', 6e9] }] }, problem: 'out of range; numeric matching allows values from -5.0e9 to 5.0e9' },
  { name: 'cidr number', pattern: { ip: [{ cidr: 10 }] }, problem: '$.ip[0].cidr: cidr must be a string' },
  { name: 'cidr without slash', pattern: { ip: [{ cidr: '10.0.0.0' }] }, problem: 'exactly one "/" is required' },
  { name: 'cidr bad bits', pattern: { ip: [{ cidr: '10.0.0.0/x' }] }, problem: 'mask bits must be an integer' },
  { name: 'cidr IPv4 /32', pattern: { ip: [{ cidr: '10.0.0.1/32' }] }, problem: 'IPv4 mask bits must be < 32' },
  { name: 'cidr IPv6 /128', pattern: { ip: [{ cidr: '::1/128' }] }, problem: 'IPv6 mask bits must be < 128' },
  { name: 'cidr bad address', pattern: { ip: [{ cidr: '300.0.0.0/8' }] }, problem: 'is not an IPv4 or IPv6 address' },
  { name: 'anything-but null', pattern: { s: [{ 'anything-but': null }] }, problem: '$.s[0]["anything-but"]: anything-but must be a string, a number' },
  { name: 'anything-but boolean', pattern: { s: [{ 'anything-but': true }] }, problem: 'anything-but must be a string, a number' },
  { name: 'anything-but mixed list', pattern: { s: [{ 'anything-but': ['a', 1] }] }, problem: 'mixed types are not supported' },
  {
    name: 'anything-but list with null',
    pattern: { s: [{ 'anything-but': ['a', null] }] },
    problem: '$.s[0]["anything-but"][1]: inside an anything-but list only strings or numbers',
  },
  {
    name: 'anything-but list of objects',
    pattern: { s: [{ 'anything-but': [{ prefix: 'abc-' }, { prefix: 'xyz-' }] }] },
    problem: 'inside an anything-but list only strings or numbers',
  },
  { name: 'anything-but empty list', pattern: { s: [{ 'anything-but': [] }] }, problem: 'needs at least one string or number' },
  {
    name: 'anything-but unknown inner operator',
    pattern: { s: [{ 'anything-but': { numeric: ['>', 1] } }] },
    problem: 'unsupported anything-but expression numeric',
  },
  { name: 'anything-but empty prefix', pattern: { s: [{ 'anything-but': { prefix: '' } }] }, problem: 'an empty prefix is not allowed inside anything-but' },
  {
    name: 'anything-but empty suffix in list',
    pattern: { s: [{ 'anything-but': { suffix: ['a', ''] } }] },
    problem: '["anything-but"].suffix[1]: an empty suffix',
  },
  { name: 'anything-but prefix number', pattern: { s: [{ 'anything-but': { prefix: 5 } }] }, problem: 'anything-but prefix values must be strings' },
  {
    name: 'anything-but equals-ignore-case number',
    pattern: { s: [{ 'anything-but': { 'equals-ignore-case': 5 } }] },
    problem: 'anything-but equals-ignore-case values must be strings',
  },
  { name: 'anything-but wildcard bad', pattern: { s: [{ 'anything-but': { wildcard: '**' } }] }, problem: 'consecutive wildcard characters' },
  { name: 'anything-but number out of range', pattern: { s: [{ 'anything-but': 1e10 }] }, problem: 'out of range' },
  { name: '$or not an array', pattern: { $or: { a: ['1'] } }, problem: '$.$or: $or must be an array of at least 2 objects' },
  { name: '$or with one branch', pattern: { $or: [{ a: ['1'] }] }, problem: '$.$or: $or needs at least 2 objects, got 1' },
  { name: '$or with a non-object', pattern: { $or: [{ a: ['1'] }, ['b']] }, problem: '$.$or[1]: only objects are allowed in a $or array' },
  { name: '$or branch empty', pattern: { $or: [{ a: ['1'] }, {}] }, problem: '$.$or[1]: empty objects are not allowed' },
  { name: 'reserved name inside $or', pattern: { $or: [{ numeric: ['1'] }, { b: ['2'] }] }, problem: '$.$or[0].numeric: "numeric" is a reserved name' },
  {
    name: 'reserved name nested inside $or',
    pattern: { $or: [{ a: { prefix: ['x'] } }, { b: ['2'] }] },
    problem: '$.$or[0].a.prefix: "prefix" is a reserved name',
  },
  { name: 'problem in nested $or branch', pattern: { detail: { $or: [{ a: [] }, { b: ['2'] }] } }, problem: '$.detail.$or[0].a: empty arrays are not allowed' },
];

/** Patterns EventBridge accepts (some look odd). */
export const validPatterns: Array<{ name: string; pattern: unknown }> = [
  { name: 'reserved names are fine outside $or', pattern: { prefix: ['x'], numeric: [1] } },
  { name: 'empty string and null values', pattern: { a: [''], b: [null] } },
  { name: 'exact number beyond the numeric range (literal match)', pattern: { account: [123456789012] } },
  { name: 'empty prefix', pattern: { a: [{ prefix: '' }] } },
  { name: 'numeric at the limits', pattern: { a: [{ numeric: ['>=', -5e9, '<=', 5e9] }] } },
  { name: 'cidr /0 and IPv6 /127', pattern: { a: [{ cidr: '0.0.0.0/0' }, { cidr: '::/127' }] } },
  {
    name: 'every operator',
    pattern: {
      a: [
        'x',
        1,
        true,
        null,
        { exactly: 'x' },
        { prefix: 'p' },
        { suffix: 's' },
        { 'equals-ignore-case': 'e' },
        { wildcard: 'a*b\\*c\\\\' },
        { numeric: ['=', 3] },
        { exists: true },
        { cidr: '10.0.0.0/8' },
        { 'anything-but': 'x' },
      ],
    },
  },
  {
    name: 'anything-but variants',
    pattern: {
      a: [
        { 'anything-but': [1, 2] },
        { 'anything-but': { prefix: ['a', 'b'] } },
        { 'anything-but': { suffix: 'z' } },
        { 'anything-but': { 'equals-ignore-case': ['A'] } },
        { 'anything-but': { wildcard: '*x*' } },
      ],
    },
  },
  { name: '$or with three branches nested', pattern: { detail: { $or: [{ a: ['1'] }, { b: { c: ['2'] } }, { $or: [{ d: ['3'] }, { e: ['4'] }] }] } } },
];
