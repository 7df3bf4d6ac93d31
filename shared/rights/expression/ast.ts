/**
 * The syntax tree of a `when` expression. Every node keeps the 0-based
 * offset where it starts in the source, for error messages.
 */
export type LiteralValue = number | string | boolean | null;

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Expression =
  | { kind: 'literal'; value: LiteralValue; pos: number }
  | { kind: 'list'; items: Expression[]; pos: number }
  | { kind: 'path'; path: string[]; pos: number }
  | { kind: 'compare'; op: CompareOp; left: Expression; right: Expression; pos: number }
  | { kind: 'in'; negated: boolean; left: Expression; right: Expression; pos: number }
  | { kind: 'and' | 'or'; operands: Expression[]; pos: number }
  | { kind: 'not'; operand: Expression; pos: number };

/** The field paths an expression reads, each once, as dotted strings. */
export function fieldPaths(expression: Expression): string[] {
  const out = new Set<string>();
  const visit = (e: Expression): void => {
    switch (e.kind) {
      case 'path':
        out.add(e.path.join('.'));
        return;
      case 'list':
        e.items.forEach(visit);
        return;
      case 'compare':
      case 'in':
        visit(e.left);
        visit(e.right);
        return;
      case 'and':
      case 'or':
        e.operands.forEach(visit);
        return;
      case 'not':
        visit(e.operand);
        return;
      case 'literal':
        return;
    }
  };
  visit(expression);
  return [...out];
}
