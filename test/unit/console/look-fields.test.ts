/** Every field a console page shows is drawn by the look: the knowledge search box was a bare browser input. */
import { KnowledgeStore } from '../../../shared/knowledge';
import { MemoryTable } from '../../../shared/storage/memory-table';
import { CONSOLE_LOOK } from '../../../shared/console/pages/console-look';
import { Browser, consoleHarness, pendingRefund, signIn, T0 } from './console-harness';

it('each input type on the pages with forms has a rule in the stylesheet', async () => {
  const h = consoleHarness();
  h.deps.knowledge = new KnowledgeStore({ table: new MemoryTable('knowledge'), embedder: null, now: () => T0 });
  await pendingRefund(h);
  h.executions.add('run-1', 'support-desk', 'RUNNING', T0);
  const maya = await signIn(h, 'maya@kestrel.example');
  const pages = [await new Browser(h).get('/console/sign-in')];
  for (const path of ['/console/knowledge', '/console/audit', '/console/runs', '/console/runs/run-1', '/console/approvals']) pages.push(await maya.get(path));
  const types = new Set(pages.flatMap((p) => [...p.html.matchAll(/<input[^>]*\btype="([a-z]+)"/g)].map((m) => m[1])));
  types.delete('hidden');
  expect([...types].sort()).toEqual(['date', 'email', 'search', 'text']);
  for (const type of types) expect(CONSOLE_LOOK.css).toContain(`input[type=${type}]`);
});
