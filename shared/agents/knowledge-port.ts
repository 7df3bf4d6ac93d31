/**
 * What the agent loop needs from the knowledge base: ranked excerpts for a
 * query within namespaces. The knowledge module provides the implementation;
 * tests inject a function.
 */
export interface KnowledgeExcerpt {
  namespace: string;
  /** The document's id or path, for the model to cite. */
  source: string;
  title?: string;
  text: string;
  score?: number;
}

export type KnowledgeSearch = (request: { query: string; namespaces: string[]; limit: number }) => Promise<KnowledgeExcerpt[]>;
