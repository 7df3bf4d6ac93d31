/**
 * What both sides of the knowledge base look up without the search index:
 * a document, the namespaces (KnowledgeCatalog, which the reader and the
 * writer extend), the documents and versions of a namespace.
 */
import * as z from '../mini-zod';
import { queryAll, type Table } from '../storage/table';
import type { KnowledgeDocument } from './document';
import { docSk, NAMESPACES_PK, nsPk, toDocument } from './layout';

export interface DocumentVersion {
  version: number;
  title: string;
  contentHash: string;
  body: string;
  at: string;
}

/** `value` parsed by `schema`, or the error `make` builds from every issue (path: message). */
export function validated<T>(schema: z.ZodMiniType<T>, value: unknown, make: (msg: string) => Error): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw make(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
}

/** Documents of a namespace in id order; retired ones only when asked. */
export async function documentsOf(table: Table, namespace: string, options: { includeRetired?: boolean } = {}): Promise<KnowledgeDocument[]> {
  const items = await queryAll(table, nsPk(namespace), { skPrefix: 'doc#' });
  return items.map(toDocument).filter((d) => options.includeRetired || d.status === 'active');
}

/** Every stored version of a document, oldest first. */
export async function versionsOf(table: Table, namespace: string, id: string): Promise<DocumentVersion[]> {
  const items = await queryAll(table, nsPk(namespace), { skPrefix: `ver#${id}#` });
  return items.map((i) => ({
    version: i.version as number,
    title: i.title as string,
    contentHash: i.contentHash as string,
    body: i.body as string,
    at: i.at as string,
  }));
}

/** The look-ups the reader and the writer both offer (the listings are functions, so a reader's bundle leaves them out). */
export class KnowledgeCatalog {
  constructor(protected readonly table: Table) {}

  async getDocument(namespace: string, id: string): Promise<KnowledgeDocument | undefined> {
    const item = await this.table.get({ pk: nsPk(namespace), sk: docSk(id) });
    return item ? toDocument(item) : undefined;
  }

  async listNamespaces(): Promise<string[]> {
    return (await queryAll(this.table, NAMESPACES_PK)).map((i) => i.sk);
  }
}
