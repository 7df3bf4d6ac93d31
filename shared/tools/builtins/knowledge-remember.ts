/** The built-in `knowledge.remember` tool (its function gets a write-only knowledge port: shared/composition/knowledge-writer.ts). */
import * as z from '../../mini-zod';
import { defineTool } from '../../definition/tool';
import { AiosError } from '../../errors';
import { allowedNamespaces } from './knowledge-namespaces';

export const knowledgeRemember = defineTool({
  id: 'knowledge.remember',
  description: 'Store a short fact learned during this work (e.g. a customer preference) so later runs can find it. Never store secrets or card data.',
  input: z.strictObject({
    text: z.string().check(z.minLength(10), z.maxLength(4000)),
    title: z.optional(z.string().check(z.minLength(3), z.maxLength(200))),
    namespace: z.optional(z.string()),
  }),
  sideEffect: 'write',
  idempotent: false,
  handler: async (input, ctx) => {
    const [namespace] = allowedNamespaces(ctx, input.namespace);
    if (!namespace) throw new AiosError('Tool.NamespaceNotAllowed', 'this agent has no knowledge namespace to remember into');
    const result = await ctx.ports.knowledge.remember({
      namespace,
      text: input.text,
      ...(input.title ? { title: input.title } : {}),
      provenance: { runId: ctx.runId, agentId: ctx.agentId ?? 'workflow', at: new Date().toISOString() },
    });
    return { document: result.document.id, version: result.document.version, outcome: result.outcome };
  },
});
