/** The `when` expression language of decision rules: parse, check against a tool input schema, evaluate. */
export type { Expression, LiteralValue, CompareOp } from './ast';
export { fieldPaths } from './ast';
export { parseExpression, tryParseExpression, MAX_EXPRESSION_LENGTH } from './parser';
export { checkExpression, type ExpressionIssue } from './check';
export { evaluateExpression, readPath } from './evaluate';
