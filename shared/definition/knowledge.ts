import * as z from 'zod';

/** A knowledge namespace: a named shelf of documents agents may search. */
export const knowledgeNamespaceSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  description: z.string().min(1),
});

export type KnowledgeNamespace = z.infer<typeof knowledgeNamespaceSchema>;

export const knowledgeSchema = z.strictObject({
  namespaces: z.array(knowledgeNamespaceSchema),
  /** Folder of seed documents (Markdown with front matter), relative to the repository root. */
  seedDir: z.string().default('os/knowledge'),
});

export type KnowledgeConfig = z.infer<typeof knowledgeSchema>;
