/** EventBridge event patterns: validation and compiled matching (pure, no I/O). */
export { validateEventPattern } from './validate';
export { compileEventPattern, matchesEventPattern, type EventMatcher } from './compile';
export { compileEventPatternSet, type EventPatternSetMatcher } from './pattern-set';
export { InvalidEventPatternError } from './errors';
export { parseEventPattern, type ParsedPattern } from './parse';
export { literalRunsMatcher } from './wildcard';
