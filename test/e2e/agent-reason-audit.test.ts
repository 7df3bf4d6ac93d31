/**
 * The agent's stated reason reaches the people and the record: the Stripe
 * dispute sample is sent to `npm start`; the triage agent proposes a refund
 * that needs the support lead, and the words it said before asking appear in
 * the `rights.evaluated` and `approval.requested` audit records (as
 * `aios audit show <run>` prints them) and in the approval email.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { startRuntimeProcess, type RuntimeProcess } from '../support/runtime-process';

jest.setTimeout(180_000);

const root = path.join(__dirname, '../..');
const recording = JSON.parse(readFileSync(path.join(root, 'examples/kestrel-coffee/recordings/support-desk-stripe-dispute.json'), 'utf8')) as {
  turns: { response: { output: { message: { content: { text?: string; toolUse?: { name: string } }[] } } } }[];
};
/** What the model said in the turn where it asked for the refund. */
const said = recording.turns
  .map((t) => t.response.output.message.content)
  .find((content) => content.some((b) => b.toolUse?.name === 'refunds_issue'))!
  .find((b) => b.text)!.text!;

describe('the agent’s reason on a Stripe dispute', () => {
  let rt: RuntimeProcess;
  afterAll(async () => {
    await rt?.kill().catch(() => undefined);
  });

  test('is in rights.evaluated, approval.requested and the approval email', async () => {
    rt = await startRuntimeProcess({ command: 'node' });
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [path.join(root, 'bin/aios.js'), ...args], {
        cwd: root,
        // The runtime's data dir, as the README says: the audit key the CLI verifies with is a file there.
        env: { ...process.env, AIOS_PORT: String(rt.port), AIOS_DATA_DIR: rt.dataDir },
        encoding: 'utf8',
        timeout: 60_000,
      });
    expect(cli(['send-event', 'events/samples/bus/stripe.charge.dispute.created.json']).status).toBe(0);

    let runId = '';
    let records: { kind: string; data: Record<string, unknown> }[] = [];
    for (let i = 0; i < 300 && !records.some((r) => r.kind === 'approval.requested'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      runId ||= /^(\S+)\s+support-desk\s/m.exec(cli(['runs', '--workflow', 'support-desk']).stdout)?.[1] ?? '';
      if (!runId) continue;
      const shown = cli(['audit', 'show', runId, '--json']);
      if (shown.status === 0)
        records = shown.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { kind: string; data: Record<string, unknown> });
    }
    expect(runId).not.toBe('');
    const refund = records.find((r) => r.kind === 'rights.evaluated' && r.data.tool === 'refunds.issue');
    expect(refund?.data).toMatchObject({ decision: 'approve', agentReason: said });
    expect(records.find((r) => r.kind === 'approval.requested')?.data).toMatchObject({ tool: 'refunds.issue', reason: said });

    const printed = cli(['audit', 'show', runId]);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toMatch(/rights\.evaluated\s+refunds\.issue: approve by rule \S+ — .*; the agent said: “The policy says not to argue/);

    // `aios approvals` finds the request through the approvals index (as the console does) and leads with its sentence.
    const pending = cli(['approvals']);
    expect(pending.status).toBe(0);
    expect(pending.stdout).toMatch(/^\S+ {2}pending\n {2}Refund \$[\d.]+ on order \S+\n/);
    expect(pending.stdout).toContain(`\n  asked by agent triage in run ${runId}: The policy says not to argue`);
    expect(cli(['approvals', '--all']).stdout.split('\n')[0]).toBe(pending.stdout.split('\n')[0]);

    const outbox = path.join(rt.dataDir, 'outbox');
    const mails = await Promise.all(readdirSync(outbox).map((f) => simpleParser(readFileSync(path.join(outbox, f)))));
    const approvalMail = mails.find((m) => /refund/i.test(m.subject ?? ''));
    expect(approvalMail?.text).toContain(`Why: ${said}`);
    await rt.stop();
  });
});
