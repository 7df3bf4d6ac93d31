/** Which knowledge namespaces a knowledge tool call may use: the calling agent's, or the one it names among them. */
import type { ToolContext } from '../../definition/tool';
import { AiosError } from '../../errors';

export function allowedNamespaces(ctx: ToolContext, requested: string | undefined): string[] {
  const allowed = ctx.knowledgeNamespaces;
  if (requested === undefined) return [...allowed];
  if (!allowed.includes(requested)) {
    throw new AiosError('Tool.NamespaceNotAllowed', `namespace "${requested}" is not one this agent may use (${allowed.join(', ') || 'none'})`);
  }
  return [requested];
}
