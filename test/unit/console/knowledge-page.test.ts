/**
 * The knowledge page: namespaces, documents with provenance, search with the
 * store's own ranking; an admin retires a remembered item (audited with who
 * and why) and the next search — the one agents make — no longer finds it.
 */
import { KnowledgeStore } from '../../../shared/knowledge';
import { KnowledgeCurator } from '../../../shared/knowledge/curator';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { consoleChain } from '../../../shared/console/deps';
import { consoleHarness, csrfOf, signIn, T0 } from './console-harness';

describe('knowledge page', () => {
  // The whole store (the local runtime, a deployment with embeddings) or the curator (a deployment without: no write path).
  test.each(['the whole store', 'the curator'])('lists, searches as agents do, and retires a remembered item with who and why: %s', async (through) => {
    const h = consoleHarness();
    const table = new MemoryTable('knowledge');
    const store = new KnowledgeStore({ table, embedder: null, now: () => T0 });
    h.deps.knowledge = through === 'the curator' ? new KnowledgeCurator({ table, now: () => T0 }) : store;
    await store.putDocument({
      namespace: 'support',
      id: 'refunds',
      title: 'Refund policy',
      tags: [],
      body: '# Refunds\nLost parcels are refunded in full.',
      source: { kind: 'seed', path: 'knowledge/support/refunds.md' },
    });
    const wrong = await store.remember({
      namespace: 'support',
      text: 'Lost parcels are never refunded <script>x</script>.',
      provenance: { runId: 'run-7', agentId: 'triage', at: T0.toISOString() },
    });
    const id = wrong.document.id;

    const maya = await signIn(h, 'maya@kestrel.example');
    const list = await maya.get('/console/knowledge?ns=support');
    expect(list.status).toBe(200);
    expect(list.html).toContain('seed file <code>knowledge/support/refunds.md</code>');
    expect(list.html).toMatch(/remembered by agent <strong>triage<\/strong> in run <a href="\/console\/runs\/run-7">run-7<\/a>/);
    // Seed documents are not retired here; the remembered one is.
    expect((list.html.match(/action="\/console\/knowledge\/retire"/g) ?? []).length).toBe(1);

    const before = await store.search({ query: 'lost parcels refunded', namespaces: ['support'] });
    const page = await maya.get('/console/knowledge?q=lost+parcels+refunded&ns=support');
    const shown = [...page.html.matchAll(/<li data-doc="([^"]+)">/g)].map((m) => m[1]);
    expect(shown).toEqual(before.map((x) => `${x.namespace}/${x.docId}`));
    expect(shown).toContain(`support/${id}`);
    expect(page.html).not.toContain('<script>x</script>');

    expect((await maya.post('/console/knowledge/retire', { csrf: csrfOf(list.html), ns: 'support', id, why: '' })).status).toBe(400);
    const done = await maya.post('/console/knowledge/retire', { csrf: csrfOf(list.html), ns: 'support', id, why: 'We refund lost parcels.' });
    expect(done.status).toBe(303);
    const after = await store.search({ query: 'lost parcels refunded', namespaces: ['support'] });
    expect(after.map((x) => x.docId)).not.toContain(id);
    expect(after.map((x) => x.docId)).toContain('refunds');
    const audit = (await h.deps.audit.records(consoleChain(T0))).filter((r) => r.kind === 'knowledge.retired');
    expect(audit.map((r) => r.data)).toEqual([expect.objectContaining({ by: 'maya', namespace: 'support', docId: id, why: 'We refund lost parcels.' })]);

    // Seed documents are refused; non-admins get 403.
    expect((await maya.post('/console/knowledge/retire', { csrf: csrfOf(list.html), ns: 'support', id: 'refunds', why: 'x' })).status).toBe(400);
    const sam = await signIn(h, 'sam@kestrel.example');
    expect((await sam.get('/console/knowledge')).status).toBe(403);
    expect(
      (await sam.post('/console/knowledge/retire', { csrf: csrfOf((await sam.get('/console')).html), ns: 'support', id: 'refunds', why: 'x' })).status,
    ).toBe(403);
  });
});

test('a search longer than the knowledge base takes is not understood (400), not an error page', async () => {
  const h = consoleHarness();
  h.deps.knowledge = new KnowledgeStore({ table: new MemoryTable('knowledge'), embedder: null, now: () => T0 });
  const maya = await signIn(h, 'maya@kestrel.example');
  const long = await maya.get(`/console/knowledge?q=${'a'.repeat(3000)}`);
  expect(long.status).toBe(400);
  expect(long.html).toContain('A search is at most 2000 characters; this one has 3000.');
});
