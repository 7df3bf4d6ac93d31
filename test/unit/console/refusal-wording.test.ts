/**
 * A refusal says "Nothing was changed." only where something could have changed: a form (POST) that was refused,
 * not a search, a listing or a page that only reads.
 */
import { KnowledgeStore } from '../../../shared/knowledge';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { consoleHarness, csrfOf, signIn, T0 } from './console-harness';

const NOTHING = 'Nothing was changed.';

test('a search or listing not understood (400) says what is wrong and no more; a refused form adds that nothing changed', async () => {
  const h = consoleHarness();
  h.deps.knowledge = new KnowledgeStore({ table: new MemoryTable('knowledge'), embedder: null, now: () => T0 });
  const maya = await signIn(h, 'maya@kestrel.example');

  const search = await maya.get(`/console/knowledge?q=${'a'.repeat(3000)}`);
  expect(search.status).toBe(400);
  expect(search.html).toContain('A search is at most 2000 characters; this one has 3000.');
  expect(search.html).not.toContain(NOTHING);
  const listing = await maya.get('/console/runs?status=SLEEPING');
  expect(listing.status).toBe(400);
  expect(listing.html).not.toContain(NOTHING);

  const form = await maya.post('/console/knowledge/retire', { csrf: csrfOf((await maya.get('/console/knowledge')).html), ns: 'support', id: 'x', why: '' });
  expect(form.status).toBe(400);
  expect(form.html).toContain(NOTHING);
});

test('a page refused (403) says whose it is; an action refused says nothing was changed', async () => {
  const h = consoleHarness();
  const sam = await signIn(h, 'sam@kestrel.example');
  const audit = await sam.get('/console/audit');
  expect(audit.status).toBe(403);
  expect(audit.html).toContain('The audit trail is for admins.');
  expect(audit.html).not.toContain(NOTHING);

  const pause = await sam.post('/console/workflows/support-desk/pause', { csrf: csrfOf((await sam.get('/console')).html) });
  expect(pause.status).toBe(403);
  expect(pause.html).toContain(`Only an admin can pause or resume a workflow. ${NOTHING}`);
});
