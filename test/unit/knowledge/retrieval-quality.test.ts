/**
 * Retrieval quality on the example business's seed documents and the labelled
 * questions in test/fixtures/knowledge-questions.json (bench/knowledge.bench.ts
 * reports the same numbers next to a baseline).
 */
import path from 'node:path';
import { KnowledgeStore, syncKnowledgeDirectory } from '../../../shared/knowledge';
import { MemoryTable } from '../../../shared/storage/memory-table';
import labelled from '../../fixtures/knowledge-questions.json';

const root = path.join(__dirname, '..', '..', '..');

describe('retrieval over the example knowledge', () => {
  let store: KnowledgeStore;
  beforeAll(async () => {
    store = new KnowledgeStore({ table: new MemoryTable() });
    await syncKnowledgeDirectory(store, path.join(root, 'examples', 'kestrel-coffee', 'knowledge'));
  });

  test('the labelled set has at least 30 questions, each naming a seed document that exists', async () => {
    expect(labelled.questions.length).toBeGreaterThanOrEqual(30);
    const ids = new Set<string>();
    for (const ns of await store.listNamespaces()) for (const d of await store.listDocuments(ns)) ids.add(`${ns}/${d.id}`);
    for (const q of labelled.questions) expect(ids).toContain(q.expected);
    expect(ids.size).toBeGreaterThanOrEqual(8);
  });

  test('BM25 puts the expected document in the top 3 chunks for at least 80% of the questions', async () => {
    let found = 0;
    for (const q of labelled.questions) {
      const hits = await store.search({ query: q.question, limit: 3 });
      if (hits.some((h) => `${h.namespace}/${h.docId}` === q.expected)) found++;
    }
    expect(found / labelled.questions.length).toBeGreaterThanOrEqual(0.8);
  });

  test('every seed document is 300 to 900 words', async () => {
    for (const ns of await store.listNamespaces()) {
      for (const d of await store.listDocuments(ns)) {
        const [v] = await store.listVersions(ns, d.id);
        const words = v.body.split(/\s+/).length;
        expect({ id: d.id, ok: words >= 300 && words <= 900 }).toEqual({ id: d.id, ok: true });
      }
    }
  });
});
