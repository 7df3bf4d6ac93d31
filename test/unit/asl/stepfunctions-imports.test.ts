/**
 * The local Step Functions modules import one another without a cycle
 * (type-only imports count: a cycle of types is still two modules that
 * cannot be read or changed apart). Read with the TypeScript compiler API.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const DIR = path.join(__dirname, '../../../local/stepfunctions');

function localImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(DIR, file), 'utf8'), ts.ScriptTarget.Latest);
  const out: string[] = [];
  for (const statement of source.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) continue;
    const spec = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (spec.startsWith('./')) out.push(`${spec.slice(2)}.ts`);
  }
  return out;
}

function cycles(graph: Map<string, string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

test('local/stepfunctions has no import cycle', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
  const graph = new Map(files.map((f) => [f, localImports(f).filter((d) => files.includes(d))]));
  expect(graph.get('engine.ts')!.length).toBeGreaterThan(3);
  expect(cycles(graph)).toEqual([]);
});

test('the cycle check finds a cycle when there is one', () => {
  expect(
    cycles(
      new Map([
        ['a.ts', ['b.ts']],
        ['b.ts', ['c.ts']],
        ['c.ts', ['a.ts']],
      ]),
    ),
  ).toEqual(['a.ts -> b.ts -> c.ts -> a.ts']);
});
