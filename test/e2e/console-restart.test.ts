/**
 * Steering survives a restart of the local runtime: a workflow paused and an
 * agent suspended in the console stay so after the process starts again on
 * the same data folder — the home page says so, the workflow's rules are
 * installed disabled, its event starts no run, and resuming works.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { createAwsClients } from '../../shared/aws/clients';
import { SessionStore } from '../../shared/console/session-store';
import { stateTable } from '../../shared/composition/tables';

jest.setTimeout(120_000);

const savedEnv = { ...process.env };
afterAll(() => {
  process.env = savedEnv;
});

async function signedIn(rt: AiosRuntime): Promise<(p: string, form?: Record<string, string>) => Promise<{ status: number; html: string }>> {
  const { id, session } = await new SessionStore(stateTable(rt.environment)).create('maya', new Date());
  return async (p, form) => {
    const res = await fetch(`${rt.url}${p}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: `aios_console_session=${id}`, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams({ csrf: session.csrf, ...form }).toString() } : {}),
    });
    return { status: res.status, html: await res.text() };
  };
}

test('a paused workflow and a suspended agent stay so across a restart, and resume afterwards', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aios-console-restart-'));
  let rt = await startAiosRuntime({ port: 0, dataDir, schedules: false });
  try {
    let console_ = await signedIn(rt);
    expect((await console_('/console/workflows/support-desk/pause', { why: 'audit week' })).status).toBe(303);
    expect((await console_('/console/agents/triage/suspend', {})).status).toBe(303);
    const rules = rt.installed.rules.filter((r) => r.workflowId === 'support-desk');
    expect(rules.length).toBeGreaterThan(0);
    await rt.close();

    rt = await startAiosRuntime({ port: 0, dataDir, schedules: false });
    console_ = await signedIn(rt);
    const home = await console_('/console');
    expect(home.html).toMatch(/support-desk.*paused.*by Maya Chen.*audit week/s);
    expect(home.html).toMatch(/triage.*suspended.*by Maya Chen/s);
    const events = createAwsClients({ endpoint: rt.url }, {}).eventBridge();
    for (const r of rules) expect((await events.send(new DescribeRuleCommand({ EventBusName: r.bus, Name: r.name }))).State).toBe('DISABLED');

    expect((await console_('/console/workflows/support-desk/resume', {})).status).toBe(303);
    expect((await console_('/console/agents/triage/resume', {})).status).toBe(303);
    for (const r of rules) expect((await events.send(new DescribeRuleCommand({ EventBusName: r.bus, Name: r.name }))).State).toBe('ENABLED');
    const after = await console_('/console');
    expect(after.html).not.toContain('paused');
    expect(after.html).not.toContain('suspended');
  } finally {
    await rt.close();
  }
});
