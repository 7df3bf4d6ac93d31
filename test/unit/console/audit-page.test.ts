/** The audit page: a run's chain, and verifying one run or all with the lines `aios audit verify` prints; an edited record shows as broken. */
import { auditPk, auditSk } from '../../../shared/audit/audit-log';
import { verdictLines } from '../../../shared/audit/verdict-text';
import { consoleHarness, signIn } from './console-harness';

const text = (html: string) =>
  /<pre class="verdict">([\s\S]*?)<\/pre>/
    .exec(html)?.[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('audit page', () => {
  test('shows a chain, verifies one or all as the CLI does, and finds an edited record; non-admins get 403', async () => {
    const h = consoleHarness();
    await h.deps.audit.append('run-a', 'tool.refused', { tool: 'refunds.issue', why: '<b>no</b>' });
    await h.deps.audit.append('run-a', 'run.ended', { status: 'FAILED' });
    await h.deps.audit.append('run-b', 'run.ended', { status: 'SUCCEEDED' });
    const maya = await signIn(h, 'maya@kestrel.example');

    const chain = await maya.get('/console/audit?run=run-a&verify=');
    expect(chain.status).toBe(200);
    expect(chain.html).toContain('&lt;b&gt;no&lt;/b&gt;');
    expect(chain.html).not.toContain('<b>no</b>');

    const all = await maya.get('/console/audit?verify=all');
    expect(text(all.html)).toBe((await h.deps.audit.verifyAll()).flatMap(verdictLines).join('\n'));
    expect(all.html).toContain('all intact');

    const item = await h.auditTable.get({ pk: auditPk('run-a'), sk: auditSk(1) });
    await h.auditTable.put({ ...item!, data: { tool: 'refunds.issue', why: 'yes' } });
    const one = await maya.get('/console/audit?run=run-a&verify=run');
    expect(text(one.html)).toBe(verdictLines(await h.deps.audit.verify('run-a')).join('\n'));
    expect(text(one.html)).toMatch(/^BROKEN run-a: 2 records\n\s+record 1: edited/);

    const sam = await signIn(h, 'sam@kestrel.example');
    expect((await sam.get('/console/audit')).status).toBe(403);
  });
});

test('a run id longer than any run has is not understood (400), where the table would refuse the key (500)', async () => {
  const h = consoleHarness();
  const maya = await signIn(h, 'maya@kestrel.example');
  for (const verify of ['', 'run']) {
    const long = await maya.get(`/console/audit?run=${'a'.repeat(3000)}&verify=${verify}`);
    expect(long.status).toBe(400);
    expect(long.html).toContain('A run id is at most 256 characters; this one has 3000.');
  }
});
