/**
 * `aios smoke`: proves a deployment end to end, through its outputs (the
 * local runtime or a stack): signs and posts the sample HubSpot webhook,
 * follows the sales follow-up run it starts, approves its outreach email
 * through the same decision the CLI's `aios approve` makes (in the first
 * approver's name, typed by `user@host`, comment "aios smoke"), checks the email
 * tool ran exactly once, and verifies the run's audit chain. One line per
 * step; exit 1 on a failure.
 */
import path from 'node:path';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import type { Command } from 'commander';
import { currentOs } from '../../functions/current-os';
import { decide } from '../../shared/approvals/approval-service';
import { approvalDeps } from '../../shared/composition/approvals';
import { auditLog } from '../../shared/composition/tables';
import { sfnClient } from '../../shared/aws/sfn';
import { AiosError } from '../../shared/errors';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { cliOperator } from '../operator';
import { requireDeploymentOutputs, type TargetOptions } from '../deployment-names';
import { sendWebhook } from './webhook';
import { printOut } from '../terminal-text';

const WORKFLOW = 'sales-follow-up';
const SAMPLE = path.join(__dirname, '../../events/samples/hubspot.contact.creation.json');
const TOOL = 'email.send';

class SmokeFailedError extends AiosError {
  constructor(step: string, message: string) {
    super('Smoke.Failed', `${step}: ${message}`, { step });
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new SmokeFailedError(what, `nothing after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  program
    .command('smoke')
    .description('end to end on a deployment: signed sample webhook → run → approval decided through the CLI → the tool ran once → audit verified')
    .option('--timeout <seconds>', 'how long to wait for each step', '120')
    .action(async (options: { timeout: string }) => {
      const timeoutMs = Number(options.timeout) * 1000;
      const env = cli.current();
      const outputs = await requireDeploymentOutputs(program.opts<TargetOptions>(), env.vars);
      const say = (line: string) => printOut(`ok    ${line}\n`);
      printOut(`AIOS smoke: ${outputs.target === 'aws' ? `stack in ${outputs.region}` : `local runtime at ${outputs.apiUrl}`}\n`);
      const machine = outputs.stateMachines[WORKFLOW];
      if (!machine) throw new SmokeFailedError('outputs', `the deployment has no ${WORKFLOW} workflow (the smoke test runs the example's sales follow-up)`);
      const sfn = sfnClient({}, env.vars);
      const before = new Set(((await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }))).executions ?? []).map((e) => e.executionArn));

      const posted = await sendWebhook('hubspot', SAMPLE, { url: `${outputs.apiUrl}/webhooks/hubspot` });
      if (posted.status !== 200) throw new SmokeFailedError('webhook', `POST ${posted.url} answered ${posted.status}: ${posted.body.slice(0, 200)}`);
      say(`signed webhook accepted by ${posted.url}`);

      const executionArn = await until(
        'run',
        timeoutMs,
        async () =>
          ((await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }))).executions ?? []).find((e) => !before.has(e.executionArn))?.executionArn,
      );
      const runId = executionArn.slice(executionArn.lastIndexOf(':') + 1);
      say(`run ${runId} of ${WORKFLOW} started`);

      const deps = approvalDeps(env, currentOs(env.vars));
      const approval = await until('approval', timeoutMs, async () => {
        const status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
        if (status !== 'RUNNING') throw new SmokeFailedError('approval', `the run ended ${status} before asking for approval`);
        return (await deps.store.list()).find((a) => a.runId === runId && a.status === 'pending');
      });
      const approver = approval.approvers[0];
      // The approver did not decide this: the record keeps who ran the smoke test, as for `aios approve --as`.
      const result = await decide(deps, { approvalId: approval.id, approver, vote: 'approve', comment: 'aios smoke', via: 'cli', operator: cliOperator() });
      if (result.kind !== 'recorded') throw new SmokeFailedError('approval', `the decision was refused (${result.kind})`);
      say(`approval ${approval.id} approved as ${approver}`);

      const status = await until('run end', timeoutMs, async () => {
        const s = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
        return s === 'RUNNING' ? undefined : s;
      });
      if (status !== 'SUCCEEDED') throw new SmokeFailedError('run', `ended ${status}`);
      say(`run ${runId} SUCCEEDED`);

      const audit = auditLog(env);
      const ran = (await audit.records(runId)).filter((r) => r.kind === 'tool.ran' && (r.data as { tool?: string }).tool === TOOL);
      if (ran.length !== 1) throw new SmokeFailedError('tool', `${TOOL} ran ${ran.length} times, expected once`);
      say(`${TOOL} ran exactly once`);

      const verdict = await audit.verify(runId);
      if (!verdict.ok) throw new SmokeFailedError('audit', `the chain of run ${runId} is broken: ${verdict.problems.map((p) => p.message).join('; ')}`);
      say(`audit chain of run ${runId} verified (${verdict.count} records)`);
      printOut('smoke test passed\n');
    });
}
