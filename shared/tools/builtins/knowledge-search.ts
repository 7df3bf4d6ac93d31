/** The built-in `knowledge.search` tool (its function gets a read-only knowledge port: shared/composition/knowledge-reader.ts). */
import * as z from '../../mini-zod';
import { defineTool } from '../../definition/tool';
import { allowedNamespaces } from './knowledge-namespaces';

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
    const namespaces = allowedNamespaces(ctx, input.namespace);
    if (namespaces.length === 0) return { results: [] };
    const hits = await ctx.ports.knowledge.search({ query: input.query, namespaces, limit: input.limit });
    return {
      results: hits.map((h) => ({ document: h.docId, title: h.document.title, section: h.heading, score: Number(h.score.toFixed(3)), text: h.text })),
    };
  },
});
