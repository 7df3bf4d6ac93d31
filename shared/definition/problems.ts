import { AiosError } from '../errors';

/** One mistake in a definition, with where it is (`workflows.support-desk.steps.triage.agent`). */
export interface DefinitionProblem {
  path: string;
  message: string;
}

export class DefinitionInvalidError extends AiosError {
  constructor(readonly problems: DefinitionProblem[]) {
    super('Definition.Invalid', `the definition has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatProblems(problems)}`, { problems });
  }
}

export function formatProblems(problems: DefinitionProblem[]): string {
  return problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
}

/**
 * Turns a path of keys and indexes into a readable one, naming array items by
 * their `id` where they have one: ['workflows', 0, 'steps', 2] →
 * `workflows.support-desk.steps.refund`.
 */
export function formatPath(root: unknown, path: readonly PropertyKey[]): string {
  let node: unknown = root;
  const parts: string[] = [];
  for (const key of path) {
    if (typeof key === 'number' && Array.isArray(node)) {
      const item: unknown = node[key];
      const id = item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : undefined;
      parts.push(id !== undefined ? `${parts.length ? '.' : ''}${id}` : `[${key}]`);
      node = item;
    } else {
      parts.push(`${parts.length ? '.' : ''}${String(key)}`);
      node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    }
  }
  return parts.join('') || '(root)';
}
