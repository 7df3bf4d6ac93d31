/**
 * The in-memory search index of one namespace: its active documents, their
 * chunks, a BM25 inverted index over them and (when stored) chunk vectors.
 * `seq` is the last change-log entry applied, which is how the store knows
 * whether the index is current (see store.ts).
 */
import { InvertedIndex } from './bm25';
import type { KnowledgeDocument } from './document';
import { decodeVector } from './embeddings';
import { tokenize } from './tokenize';

export interface IndexedChunk {
  /** `<namespace>/<docId>#<index, 4 digits>`: unique, and the tie-break order of search results. */
  key: string;
  namespace: string;
  docId: string;
  version: number;
  index: number;
  heading: string;
  text: string;
  vector?: Float32Array;
  vectorModel?: string;
}

/** A stored chunk as the index needs it. */
export interface ChunkRecord {
  namespace: string;
  docId: string;
  version: number;
  index: number;
  heading: string;
  text: string;
  vector?: string;
  vectorModel?: string;
}

export function chunkKey(namespace: string, docId: string, index: number): string {
  return `${namespace}/${docId}#${String(index).padStart(4, '0')}`;
}

export class NamespaceIndex {
  readonly bm25 = new InvertedIndex();
  readonly chunks = new Map<string, IndexedChunk>();
  private readonly docs = new Map<string, { doc: KnowledgeDocument; keys: string[] }>();
  /** Last change-log sequence applied (0: none). */
  seq = 0;
  /** When the change log was last read (ms since epoch). */
  checkedAt = 0;

  constructor(readonly namespace: string) {}

  document(id: string): KnowledgeDocument | undefined {
    return this.docs.get(id)?.doc;
  }

  get documentCount(): number {
    return this.docs.size;
  }

  /** Replaces a document and its chunks. The title and heading are indexed with each chunk: they say what it is about. */
  setDocument(doc: KnowledgeDocument, chunks: readonly ChunkRecord[]): void {
    this.removeDocument(doc.id);
    const keys: string[] = [];
    for (const c of [...chunks].sort((a, b) => a.index - b.index)) {
      const key = chunkKey(this.namespace, doc.id, c.index);
      const heading = c.heading && !c.text.includes(c.heading) ? `\n${c.heading}` : '';
      this.bm25.add(key, tokenize(`${doc.title}${heading}\n${c.text}`));
      this.chunks.set(key, {
        key,
        namespace: this.namespace,
        docId: doc.id,
        version: c.version,
        index: c.index,
        heading: c.heading,
        text: c.text,
        ...(c.vector && c.vectorModel ? { vector: decodeVector(c.vector), vectorModel: c.vectorModel } : {}),
      });
      keys.push(key);
    }
    this.docs.set(doc.id, { doc, keys });
  }

  removeDocument(id: string): void {
    const entry = this.docs.get(id);
    if (!entry) return;
    for (const key of entry.keys) {
      this.bm25.remove(key);
      this.chunks.delete(key);
    }
    this.docs.delete(id);
  }
}
