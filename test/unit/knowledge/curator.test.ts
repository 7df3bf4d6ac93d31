import { parseEnvironment } from '../../../shared/composition/environment';
import { knowledgeCuratorWithoutEmbeddings } from '../../../shared/composition/knowledge-curator';
import { KnowledgeCurator } from '../../../shared/knowledge/curator';
import { KnowledgeStore } from '../../../shared/knowledge/store';
import { MemoryTable } from '../../../shared/storage/memory-table';

const provenance = { runId: 'run-1', agentId: 'triage', at: '2026-12-01T10:00:00.000Z' };

describe('KnowledgeCurator (the console without embeddings: no write path)', () => {
  test('lists, shows versions and searches exactly as the whole store does', async () => {
    const table = new MemoryTable('knowledge');
    const store = new KnowledgeStore({ table, embedder: null });
    await store.putDocument({
      namespace: 'support',
      id: 'refunds',
      title: 'Refunds',
      tags: [],
      body: 'Refunds take five days.',
      source: { kind: 'seed', path: 'r.md' },
    });
    await store.putDocument({
      namespace: 'support',
      id: 'refunds',
      title: 'Refunds',
      tags: [],
      body: 'Refunds take three days.',
      source: { kind: 'seed', path: 'r.md' },
    });
    await store.remember({ namespace: 'support', text: 'Order 1042 was re-shipped by courier.', provenance });
    const curator = new KnowledgeCurator({ table });
    expect(await curator.listNamespaces()).toEqual(await store.listNamespaces());
    expect(await curator.listDocuments('support')).toEqual(await store.listDocuments('support'));
    expect((await curator.listVersions('support', 'refunds')).map((v) => v.body)).toEqual(['Refunds take five days.', 'Refunds take three days.']);
    for (const query of ['refunds days', 're-shipped courier'])
      expect(await curator.search({ query, namespaces: ['support'] })).toEqual(await store.search({ query, namespaces: ['support'] }));
  });

  test('a retired document leaves every search, the store’s warm index included, and is kept for the record', async () => {
    const table = new MemoryTable('knowledge');
    const store = new KnowledgeStore({ table, embedder: null });
    const { document } = await store.remember({ namespace: 'support', text: 'Order 1042 was re-shipped by courier.', provenance });
    expect(await store.search({ query: 'courier', namespaces: ['support'] })).toHaveLength(1);
    const curator = new KnowledgeCurator({ table, now: () => new Date('2026-12-02T00:00:00.000Z') });
    expect(await curator.retireDocument('support', document.id)).toBe(true);
    expect(await curator.retireDocument('support', document.id)).toBe(false);
    expect(await store.search({ query: 'courier', namespaces: ['support'] })).toEqual([]);
    expect(await curator.search({ query: 'courier', namespaces: ['support'] })).toEqual([]);
    const [retired] = await curator.listDocuments('support', { includeRetired: true });
    expect(retired).toMatchObject({ id: document.id, status: 'retired', updatedAt: '2026-12-02T00:00:00.000Z' });
    expect(await curator.retireDocument('support', 'no-such-doc')).toBe(false);
  });

  test('one per knowledge table; an environment that turns embeddings on is refused, as the agent step refuses it', () => {
    const env = parseEnvironment({ AWS_REGION: 'us-east-1', AIOS_TABLE_KNOWLEDGE: 'kb-curator' });
    expect(knowledgeCuratorWithoutEmbeddings(env)).toBe(knowledgeCuratorWithoutEmbeddings(env));
    expect(() =>
      knowledgeCuratorWithoutEmbeddings(parseEnvironment({ AWS_REGION: 'us-east-1', AIOS_TABLE_KNOWLEDGE: 'kb-curator', AIOS_EMBEDDINGS: 'openai' })),
    ).toThrow(expect.objectContaining({ code: 'Knowledge.Embeddings' }));
  });
});
