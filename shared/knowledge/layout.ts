/**
 * Where the knowledge base keeps what in the `knowledge` table: the one
 * agreement between the code that writes (writer.ts) and the code that reads
 * and indexes (reader.ts), which are bundled apart.
 *
 * Per namespace partition `pk = ns#<namespace>`:
 *
 * | sk | item |
 * |---|---|
 * | `doc#<id>` | the document's current state, including its body |
 * | `ver#<id>#<version:6>` | a copy of each version (history; never read by search) |
 * | `chunk#<id>#<version:6>#<hash:8>#<index:4>` | the chunks of the current version (+ vector) |
 * | `log#<seq:12>` | change log: "document <id> changed", one entry per write |
 *
 * and `pk = namespaces`, `sk = <namespace>` lists the namespaces.
 *
 * The change log's sequence numbers are dense (1, 2, 3 …: each is the last
 * one plus one, taken with a conditional put), so "nothing after `seq`"
 * means an index that applied `seq` is current.
 */
import type { Item } from '../storage/table';
import type { KnowledgeDocument } from './document';

/** A namespace name (it is part of every key of its partition). */
export const NAMESPACE_PATTERN = /^[a-z][a-z0-9-]*$/;
/** A document id (part of its keys; the change log names documents by it). */
export const DOC_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

export const NAMESPACES_PK = 'namespaces';
export const LOG_PREFIX = 'log#';
export const LOG_MAX = 'log#999999999999';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const nsPk = (namespace: string) => `ns#${namespace}`;
export const docSk = (id: string) => `doc#${id}`;
export const verSk = (id: string, version: number) => `ver#${id}#${pad(version, 6)}`;
/** Every chunk of a document, whatever its version. */
export const chunkPrefix = (id: string) => `chunk#${id}#`;
/** The chunks of one version with one content. */
export const chunkVersionPrefix = (doc: Pick<KnowledgeDocument, 'id' | 'version' | 'contentHash'>) =>
  `chunk#${doc.id}#${pad(doc.version, 6)}#${doc.contentHash.slice(0, 8)}#`;
export const chunkSk = (prefix: string, index: number) => `${prefix}${pad(index, 4)}`;
export const logSk = (seq: number) => `log#${pad(seq, 12)}`;
/** The `logged` mark a document gets once every step after its flip is done (see writer.ts). */
export const loggedMark = (doc: KnowledgeDocument) => `${doc.version}:${doc.status}`;

/** A `doc#` item as the document it stores (without its body and bookkeeping). */
export function toDocument(item: Item): KnowledgeDocument {
  const { pk: _pk, sk: _sk, kind: _kind, body: _body, logged: _logged, ...doc } = item as Item & Record<string, unknown>;
  return doc as unknown as KnowledgeDocument;
}
