/**
 * One contract for the knowledge base, run on every implementation of the `Table` port and on both ways of
 * composing it: the whole store, and a reader and a writer apart (as the search and remember functions use it).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KnowledgeReader, KnowledgeStore, KnowledgeWriter, syncKnowledgeDirectory, type DocumentInput } from '../../shared/knowledge';
import { versionsOf } from '../../shared/knowledge/catalog';
import type { Table } from '../../shared/storage/table';

/** What the contract drives: everything the knowledge base does. */
export type KnowledgeBase = Pick<
  KnowledgeStore,
  'putDocument' | 'retireDocument' | 'remember' | 'search' | 'getDocument' | 'listDocuments' | 'listVersions' | 'listNamespaces'
>;

/** Makes one instance of the knowledge base on a table (a new instance has a cold index). */
export type KnowledgeBaseMaker = (table: Table, options?: { now?: () => Date }) => KnowledgeBase;

export const wholeStore: KnowledgeBaseMaker = (table, options = {}) => new KnowledgeStore({ table, ...options });

/** A reader and a writer, each its own instance with its own state, as two functions hold them. */
export const readerAndWriter: KnowledgeBaseMaker = (table, options = {}) => {
  const reader = new KnowledgeReader({ table });
  const writer = new KnowledgeWriter({ table, ...options });
  return {
    search: (request) => reader.search(request),
    getDocument: (namespace, id) => reader.getDocument(namespace, id),
    listNamespaces: () => reader.listNamespaces(),
    listDocuments: (namespace, o) => writer.listDocuments(namespace, o),
    listVersions: (namespace, id) => versionsOf(table, namespace, id),
    putDocument: (input) => writer.putDocument(input),
    retireDocument: (namespace, id) => writer.retireDocument(namespace, id),
    remember: (request) => writer.remember(request),
  };
};

const seed = (id: string, body: string, extra: Partial<DocumentInput> = {}): DocumentInput => ({
  namespace: 'support',
  id,
  title: id.replace(/-/g, ' '),
  tags: [],
  body,
  source: { kind: 'seed', path: `support/${id}.md` },
  ...extra,
});

const REFUNDS = '# Refunds\n\nDamaged bags are refunded or reshipped. Card refunds take 5 to 10 business days.';
const SHIPPING = '# Shipping\n\nStandard shipping is free on orders of $40 or more and takes 2 to 5 business days.';
const WARRANTY = '# Warranty\n\nThe Kestrel Pro 58 espresso machine has a 2 year warranty. Error E3 means the boiler is cold.';

export function knowledgeStoreContract(name: string, open: () => Promise<Table>, make: KnowledgeBaseMaker = wholeStore): void {
  describe(`KnowledgeStore contract: ${name}`, () => {
    let table: Table;
    let store: KnowledgeBase;
    let clock: number;
    const now = () => new Date(Date.UTC(2025, 0, 1) + clock++ * 1000);

    beforeEach(async () => {
      clock = 0;
      table = await open();
      store = make(table, { now });
    });

    test('stores a document as version 1 and finds its chunk with provenance', async () => {
      const { outcome, document } = await store.putDocument(seed('refund-policy', REFUNDS, { tags: ['refunds'] }));
      expect(outcome).toBe('created');
      expect(document).toMatchObject({ namespace: 'support', id: 'refund-policy', version: 1, status: 'active', chunkCount: 1 });
      const hits = await store.search({ query: 'refund for a damaged bag', namespaces: ['support'] });
      expect(hits).toHaveLength(1);
      expect(hits[0]).toMatchObject({
        namespace: 'support',
        docId: 'refund-policy',
        version: 1,
        chunkIndex: 0,
        document: { title: 'refund policy', tags: ['refunds'], source: { kind: 'seed', path: 'support/refund-policy.md' }, version: 1 },
      });
      expect(hits[0].score).toBeGreaterThan(0);
      expect(hits[0].text).toContain('Damaged bags');
    });

    test('ranks the chunk that matches best first and respects limit and namespaces', async () => {
      await store.putDocument(seed('refund-policy', REFUNDS));
      await store.putDocument(seed('shipping', SHIPPING));
      await store.putDocument(seed('warranty', WARRANTY));
      await store.putDocument(seed('playbook', '# Outreach\n\nEmail a new lead within one business day and offer a tasting kit.', { namespace: 'sales' }));
      const hits = await store.search({ query: 'my espresso machine shows E3', limit: 2 });
      expect(hits[0].docId).toBe('warranty');
      expect(hits.length).toBeLessThanOrEqual(2);
      expect((await store.search({ query: 'business days', namespaces: ['sales'] })).map((h) => h.docId)).toEqual(['playbook']);
      expect((await store.search({ query: 'business days', namespaces: ['support'] })).every((h) => h.namespace === 'support')).toBe(true);
      expect(await store.listNamespaces()).toEqual(['sales', 'support']);
    });

    test('equal scores are ordered by namespace, document and chunk', async () => {
      await store.putDocument(seed('b-doc', 'Grinder burrs.'));
      await store.putDocument(seed('a-doc', 'Grinder burrs.'));
      await store.putDocument(seed('c-doc', 'Grinder burrs.', { namespace: 'archive' }));
      const hits = await store.search({ query: 'grinder burrs' });
      expect(hits.map((h) => `${h.namespace}/${h.docId}`)).toEqual(['archive/c-doc', 'support/a-doc', 'support/b-doc']);
      expect(new Set(hits.map((h) => h.score)).size).toBe(1);
    });

    test('an unchanged document is not rewritten; a changed one gets a new version and old chunks leave search', async () => {
      await store.putDocument(seed('shipping', SHIPPING));
      expect((await store.search({ query: 'free shipping' }))[0].version).toBe(1);
      const again = await store.putDocument({ ...seed('shipping', SHIPPING), source: { kind: 'seed', path: 'moved/shipping.md' } });
      expect(again.outcome).toBe('unchanged');
      expect(again.document.version).toBe(1);
      const changed = await store.putDocument(seed('shipping', '# Shipping\n\nOvernight delivery costs $29.95 for coffee.'));
      expect(changed).toMatchObject({ outcome: 'updated', document: { version: 2 } });
      expect(await store.search({ query: 'free standard $40' })).toEqual([]);
      expect((await store.search({ query: 'overnight delivery' }))[0]).toMatchObject({ docId: 'shipping', version: 2 });
      const versions = await store.listVersions('support', 'shipping');
      expect(versions.map((v) => v.version)).toEqual([1, 2]);
      expect(versions[0].body).toContain('$40');
      // Only the current version's chunks stay in the table.
      const chunks = (await table.query('ns#support', { skPrefix: 'chunk#shipping#' })).items;
      expect(chunks.map((c) => c.version)).toEqual([2]);
    });

    test('a retired document is kept but never found; putting it back reactivates it as a new version', async () => {
      await store.putDocument(seed('warranty', WARRANTY));
      expect(await store.retireDocument('support', 'warranty')).toBe(true);
      expect(await store.retireDocument('support', 'warranty')).toBe(false);
      expect(await store.search({ query: 'espresso warranty' })).toEqual([]);
      expect(await store.getDocument('support', 'warranty')).toMatchObject({ status: 'retired', version: 1 });
      expect(await store.listDocuments('support')).toEqual([]);
      expect(await store.listDocuments('support', { includeRetired: true })).toHaveLength(1);
      const back = await store.putDocument(seed('warranty', WARRANTY));
      expect(back).toMatchObject({ outcome: 'updated', document: { version: 2, status: 'active' } });
      expect((await store.search({ query: 'espresso warranty' }))[0].docId).toBe('warranty');
    });

    test('remember stores what an agent learned with its provenance, once per text', async () => {
      const provenance = { runId: 'run-1', agentId: 'triage', at: '2025-01-02T10:00:00.000Z' };
      const first = await store.remember({ namespace: 'support', text: 'Customer Jordan prefers whole bean Harbor Blend.', provenance });
      expect(first.outcome).toBe('created');
      expect(first.document.id).toMatch(/^mem-[0-9a-f]{16}$/);
      const second = await store.remember({
        namespace: 'support',
        text: 'Customer Jordan prefers whole bean Harbor Blend.',
        provenance: { ...provenance, runId: 'run-2' },
      });
      expect(second.outcome).toBe('unchanged');
      const [hit] = await store.search({ query: 'what does Jordan prefer' });
      expect(hit.document.source).toEqual({ kind: 'remembered', ...provenance });
      expect(hit.document.title).toBe('Customer Jordan prefers whole bean Harbor Blend.');
    });

    test('a second store with a warm index sees writes made through another store', async () => {
      const reader = make(table);
      await store.putDocument(seed('shipping', SHIPPING));
      expect((await reader.search({ query: 'shipping' })).map((h) => h.version)).toEqual([1]);
      await store.putDocument(seed('shipping', '# Shipping\n\nShipping to Canada costs $12.95.'));
      await store.putDocument(seed('warranty', WARRANTY));
      expect((await reader.search({ query: 'shipping canada' }))[0]).toMatchObject({ docId: 'shipping', version: 2 });
      expect((await reader.search({ query: 'warranty' }))[0].docId).toBe('warranty');
      await store.retireDocument('support', 'warranty');
      expect(await reader.search({ query: 'warranty' })).toEqual([]);
    });

    test('remember then search in the same warm instance finds the new fact', async () => {
      await store.putDocument(seed('shipping', SHIPPING));
      expect((await store.search({ query: 'Jordan whole bean', namespaces: ['support'] })).map((h) => h.docId)).not.toContainEqual(
        expect.stringMatching(/^mem-/),
      );
      const provenance = { runId: 'run-9', agentId: 'triage', at: '2025-01-03T09:00:00Z' };
      const { document } = await store.remember({ namespace: 'support', text: 'Jordan wants whole bean Harbor Blend from now on.', provenance });
      const [hit] = await store.search({ query: 'Jordan whole bean', namespaces: ['support'] });
      expect(hit).toMatchObject({ docId: document.id, version: 1, document: { source: { kind: 'remembered', ...provenance } } });
    });

    test('a warm instance sees a sync run by another instance: new, changed and retired documents', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'aios-knowledge-'));
      try {
        const write = (file: string, title: string, body: string) =>
          writeFile(path.join(dir, file), `---\nnamespace: support\ntitle: ${title}\n---\n${body}\n`);
        await write('refunds.md', 'Refunds', REFUNDS);
        await write('shipping.md', 'Shipping', SHIPPING);
        await syncKnowledgeDirectory(make(table), dir);
        expect((await store.search({ query: 'free shipping', namespaces: ['support'] }))[0]).toMatchObject({ docId: 'shipping', version: 1 });
        await write('shipping.md', 'Shipping', '# Shipping\n\nOvernight delivery to Canada costs $29.95.');
        await write('warranty.md', 'Warranty', WARRANTY);
        await rm(path.join(dir, 'refunds.md'));
        expect(await syncKnowledgeDirectory(make(table), dir)).toEqual({
          created: ['support/warranty'],
          updated: ['support/shipping'],
          unchanged: [],
          retired: ['support/refunds'],
        });
        expect((await store.search({ query: 'overnight delivery canada', namespaces: ['support'] }))[0]).toMatchObject({ docId: 'shipping', version: 2 });
        expect((await store.search({ query: 'espresso machine E3', namespaces: ['support'] }))[0].docId).toBe('warranty');
        expect((await store.search({ query: 'damaged bags refunded', namespaces: ['support'] })).map((h) => h.docId)).not.toContain('refunds');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('two writers of the same document: one wins, the other gets Knowledge.Conflict', async () => {
      await store.putDocument(seed('faq', 'Decaf uses the Swiss Water Process.'));
      const other = make(table);
      const results = await Promise.allSettled([
        store.putDocument(seed('faq', 'Decaf is 99.9% caffeine free.')),
        other.putDocument(seed('faq', 'Decaf has caramel notes.')),
      ]);
      const rejected = results.filter((r) => r.status === 'rejected');
      // Interleavings differ between adapters; whatever happens, the document is consistent.
      for (const r of rejected) expect((r as PromiseRejectedResult).reason.code).toBe('Knowledge.Conflict');
      const doc = await store.getDocument('support', 'faq');
      expect(doc?.version).toBe(2);
      const hits = await make(table).search({ query: 'decaf' });
      expect(hits).toHaveLength(1);
      expect(hits[0].version).toBe(2);
    });

    test('sync of a directory is idempotent: unchanged untouched, changed re-versioned, removed retired', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'aios-knowledge-'));
      try {
        const write = (file: string, title: string, body: string) =>
          writeFile(path.join(dir, file), `---\nnamespace: support\ntitle: ${title}\ntags: [a, b]\n---\n${body}\n`);
        await write('refunds.md', 'Refunds', REFUNDS);
        await write('shipping.md', 'Shipping', SHIPPING);
        expect(await syncKnowledgeDirectory(store, dir)).toEqual({ created: ['support/refunds', 'support/shipping'], updated: [], unchanged: [], retired: [] });
        const before = await store.getDocument('support', 'refunds');
        expect(await syncKnowledgeDirectory(store, dir)).toEqual({ created: [], updated: [], unchanged: ['support/refunds', 'support/shipping'], retired: [] });
        expect(await store.getDocument('support', 'refunds')).toEqual(before);
        await write('shipping.md', 'Shipping', '# Shipping\n\nWe ship coffee to Canada.');
        await rm(path.join(dir, 'refunds.md'));
        await store.remember({
          namespace: 'support',
          text: 'Learned: Canada orders take 5 to 10 days.',
          provenance: { runId: 'r', agentId: 'a', at: '2025-01-01T00:00:00Z' },
        });
        expect(await syncKnowledgeDirectory(store, dir)).toEqual({ created: [], updated: ['support/shipping'], unchanged: [], retired: ['support/refunds'] });
        expect((await store.listDocuments('support')).map((d) => [d.id.startsWith('mem-') ? 'mem' : d.id, d.version])).toEqual([
          ['mem', 1],
          ['shipping', 2],
        ]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
