import * as z from '../../mini-zod';
import { defineTool, type ToolContext } from '../../definition/tool';
import { AiosError } from '../../errors';

function allowedNamespace(ctx: ToolContext, requested: string | undefined): string[] {
  const allowed = ctx.knowledgeNamespaces;
  if (requested === undefined) return [...allowed];
  if (!allowed.includes(requested)) {
    throw new AiosError('Tool.NamespaceNotAllowed', `namespace "${requested}" is not one this agent may use (${allowed.join(', ') || 'none'})`);
  }
  return [requested];
}

export const knowledgeSearch = defineTool({
  id: 'knowledge.search',
  description: "Search the business's knowledge base (policies, product answers, playbooks). Returns the best matching passages with their source.",
  input: z.strictObject({
    query: z.string().check(z.minLength(2), z.maxLength(500)),
    namespace: z.optional(z.string()),
    limit: z._default(z.int().check(z.minimum(1), z.maximum(10)), 3),
  }),
  sideEffect: 'read',
  idempotent: true,
  handler: async (input, ctx) => {
    const namespaces = allowedNamespace(ctx, input.namespace);
    if (namespaces.length === 0) return { results: [] };
    const hits = await ctx.ports.knowledge.search({ query: input.query, namespaces, limit: input.limit });
    return {
      results: hits.map((h) => ({ document: h.docId, title: h.document.title, section: h.heading, score: Number(h.score.toFixed(3)), text: h.text })),
    };
  },
});

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
    const [namespace] = allowedNamespace(ctx, input.namespace);
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
