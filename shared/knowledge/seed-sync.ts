/**
 * Loads a directory of seed documents (Markdown with front matter, see
 * front-matter.ts) into the knowledge store. Idempotent: an unchanged document
 * is not written, a changed one gets a new version, and a seed document that
 * is no longer in the directory is retired. Documents that agents remembered
 * are never retired by a sync.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentInput } from './document';
import { DOC_ID_PATTERN } from './layout';
import { InvalidDocumentError } from './errors';
import { parseFrontMatter } from './front-matter';
import type { KnowledgeWriter } from './writer';

/** What a sync needs of the knowledge base: writes and listings, no search (a `KnowledgeWriter` or a whole store). */
export type SeedSyncTarget = Pick<KnowledgeWriter, 'putDocument' | 'retireDocument' | 'listNamespaces' | 'listDocuments'>;

export interface SyncReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  retired: string[];
}

async function markdownFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    throw new InvalidDocumentError(`cannot read seed directory ${dir}: ${(error as Error).message}`, { dir });
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md') && e.name.toLowerCase() !== 'readme.md')
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Parses every `*.md` under `dir` (README.md excepted). The id is the file name without `.md` unless the front matter sets one. */
export async function readSeedDirectory(dir: string): Promise<DocumentInput[]> {
  const docs: DocumentInput[] = [];
  const seen = new Map<string, string>();
  for (const file of await markdownFiles(dir)) {
    const rel = path.relative(dir, file).split(path.sep).join('/');
    const { meta, body } = parseFrontMatter(await readFile(file, 'utf8'), rel);
    const id = meta.id ?? path.basename(file, '.md').toLowerCase();
    if (!DOC_ID_PATTERN.test(id))
      throw new InvalidDocumentError(`${rel}: document id "${id}" must be lower-case letters, digits, dots, dashes, underscores`, { file: rel, id });
    const key = `${meta.namespace}/${id}`;
    if (seen.has(key))
      throw new InvalidDocumentError(`${rel}: document ${key} is also defined by ${seen.get(key)}`, { file: rel, id, namespace: meta.namespace });
    seen.set(key, rel);
    if (body === '') throw new InvalidDocumentError(`${rel}: the document has no text after its front matter`, { file: rel });
    docs.push({ namespace: meta.namespace, id, title: meta.title, tags: meta.tags, body, source: { kind: 'seed', path: rel } });
  }
  return docs;
}

/** Brings the store's seed documents in line with `docs`. Entries in the report are `<namespace>/<id>`, sorted. */
export async function syncSeedDocuments(store: SeedSyncTarget, docs: readonly DocumentInput[]): Promise<SyncReport> {
  const report: SyncReport = { created: [], updated: [], unchanged: [], retired: [] };
  const wanted = new Set(docs.map((d) => `${d.namespace}/${d.id}`));
  for (const doc of docs) {
    const { outcome } = await store.putDocument(doc);
    report[outcome].push(`${doc.namespace}/${doc.id}`);
  }
  for (const namespace of await store.listNamespaces()) {
    for (const doc of await store.listDocuments(namespace)) {
      if (doc.source.kind !== 'seed' || wanted.has(`${namespace}/${doc.id}`)) continue;
      if (await store.retireDocument(namespace, doc.id)) report.retired.push(`${namespace}/${doc.id}`);
    }
  }
  for (const list of Object.values(report)) list.sort();
  return report;
}

/** `aios knowledge sync`: reads `dir` and syncs it. */
export async function syncKnowledgeDirectory(store: SeedSyncTarget, dir: string): Promise<SyncReport> {
  return syncSeedDocuments(store, await readSeedDirectory(dir));
}
