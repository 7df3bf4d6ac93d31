/**
 * Step Functions evaluates a JSONata expression with no context item: the input
 * is `$states.input`, variables are `$name`. A field name or `$` read at the top
 * level of an expression therefore reads nothing, and AWS refuses the
 * definition (UNSUPPORTED_JSONATA_EXPRESSION). Inside a path step, a predicate
 * or a lambda the context is bound, so names there are fine.
 * https://states-language.net/#jsonata (top-level reference rule)
 */
import type jsonata from 'jsonata';

type Node = Omit<jsonata.ExprNode, 'lhs' | 'rhs' | 'condition' | 'then' | 'else' | 'procedure' | 'arguments' | 'expressions' | 'steps'> & {
  lhs?: Node | [Node, Node][];
  expression?: Node;
  rhs?: Node;
  then?: Node;
  else?: Node;
  condition?: Node;
  procedure?: Node;
  arguments?: Node[];
  expressions?: Node[];
  steps?: Node[];
};

/** The names an expression reads from the (absent) context at its top level, in order, without repeats. */
export function topLevelReferences(root: jsonata.ExprNode): string[] {
  const found = new Set<string>();
  const visit = (node: Node | undefined): void => {
    if (!node || typeof node !== 'object') return;
    switch (node.type as string) {
      case 'name':
        found.add(String(node.value));
        return;
      case 'variable':
        // `$` alone is the context item; `$$` is the root of that same absent input.
        if (node.value === '') found.add('$');
        return;
      case 'path':
        // Only the first step reads the context; later steps read what it produced.
        visit(node.steps?.[0]);
        return;
      case 'lambda':
      case 'regex':
      case 'string':
      case 'number':
      case 'value':
        return;
      default:
        break;
    }
    if (Array.isArray(node.lhs)) {
      for (const [k, v] of node.lhs) {
        visit(k);
        visit(v);
      }
    } else visit(node.lhs);
    for (const child of [node.rhs, node.condition, node.then, node.else, node.procedure, node.expression]) visit(child);
    for (const child of [...(node.arguments ?? []), ...(node.expressions ?? [])]) visit(child);
  };
  visit(root as unknown as Node);
  return [...found];
}
