/**
 * The steps after a document's flip (see version-writer.ts), and retiring,
 * which is a flip of its status followed by the same steps. Apart from the
 * write path, so a process that retires and never writes a version (the
 * console) carries neither chunking, nor the document schema, nor the
 * remember request's checks.
 */
import { ConditionFailedError, queryAll, type Table } from '../storage/table';
import type { KnowledgeDocument } from './document';
import { DocumentConflictError } from './errors';
import { chunkPrefix, chunkVersionPrefix, docSk, LOG_PREFIX, loggedMark, logSk, NAMESPACES_PK, nsPk, toDocument, verSk } from './layout';

/** Post-flip steps; idempotent, so a crash between them is repaired by running them again. */
export async function finishVersion(table: Table, doc: KnowledgeDocument, body: string, now: () => Date): Promise<void> {
  const pk = nsPk(doc.namespace);
  if (doc.status === 'active') {
    await table.put({
      pk,
      sk: verSk(doc.id, doc.version),
      kind: 'version',
      version: doc.version,
      title: doc.title,
      contentHash: doc.contentHash,
      body,
      at: doc.updatedAt,
    });
  }
  try {
    await table.put({ pk: NAMESPACES_PK, sk: doc.namespace, kind: 'namespace', createdAt: doc.updatedAt }, { itemExists: false });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
  await appendLog(table, doc.namespace, doc.id, now);
  // Older versions and same-version orphans of a writer that lost the flip go; chunks of a
  // newer version belong to a writer still in progress and stay.
  const keep = doc.status === 'active' ? chunkVersionPrefix(doc) : undefined;
  for (const c of await queryAll(table, pk, { skPrefix: chunkPrefix(doc.id) })) {
    const stale = (c.version as number) < doc.version || ((c.version as number) === doc.version && (keep === undefined || !c.sk.startsWith(keep)));
    if (stale) await table.delete({ pk, sk: c.sk });
  }
  try {
    await table.update(
      { pk, sk: docSk(doc.id) },
      { set: { logged: loggedMark(doc) } },
      {
        all: [
          { field: 'version', op: 'eq', value: doc.version },
          { field: 'status', op: 'eq', value: doc.status },
        ],
      },
    );
  } catch (error) {
    // A newer write took over; it finishes itself.
    if (!(error instanceof ConditionFailedError)) throw error;
  }
}

/** Takes the next change-log sequence of a namespace with a conditional put. */
async function appendLog(table: Table, namespace: string, docId: string, now: () => Date): Promise<number> {
  const pk = nsPk(namespace);
  for (let attempt = 0; attempt < 50; attempt++) {
    const last = (await table.query(pk, { skPrefix: LOG_PREFIX, reverse: true, limit: 1 })).items[0];
    const seq = ((last?.seq as number | undefined) ?? 0) + 1;
    try {
      await table.put({ pk, sk: logSk(seq), kind: 'log', seq, docId, at: now().toISOString() }, { itemExists: false });
      return seq;
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));
    }
  }
  throw new DocumentConflictError(namespace, docId, -1);
}

/** Retires a document: kept for the record, never searched again. Returns false when it was not active. */
export async function retireDocument(table: Table, namespace: string, id: string, now: () => Date): Promise<boolean> {
  const item = await table.get({ pk: nsPk(namespace), sk: docSk(id) });
  if (!item) return false;
  const current = toDocument(item);
  if (current.status !== 'active') {
    if (item.logged !== loggedMark(current)) await finishVersion(table, current, String(item.body ?? ''), now);
    return false;
  }
  const retired: KnowledgeDocument = { ...current, status: 'retired', updatedAt: now().toISOString() };
  try {
    await table.update(
      { pk: item.pk, sk: item.sk },
      { set: { status: 'retired', updatedAt: retired.updatedAt }, remove: ['logged'] },
      {
        all: [
          { field: 'version', op: 'eq', value: current.version },
          { field: 'status', op: 'eq', value: 'active' },
        ],
      },
    );
  } catch (error) {
    if (error instanceof ConditionFailedError) throw new DocumentConflictError(namespace, id, current.version);
    throw error;
  }
  await finishVersion(table, retired, String(item.body ?? ''), now);
  return true;
}
