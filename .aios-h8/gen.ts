/* One-off: records GetExecutionHistory of the support-desk workflow run by the local engine. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { FunctionRegistry } from '../local/functions';
import { openStepFunctions } from '../local/stepfunctions';
import { startLocalHttpServer } from '../local/server/local-http-server';
import { createAwsClients } from '../shared/aws/clients';
import { functionPlaceholders, substitutePlaceholders } from '../shared/compiler';

const out = '/work/main/test/unit/runs/fixtures';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const registry = new FunctionRegistry('us-east-1', '123456789012');
  let tokens: string[] = [];
  let failAgent = false; let agentCalls = 0;
  registry.register('aios-emit-event', async () => ({ eventId: 'evt-' + Math.random().toString(16).slice(2, 10) }));
  registry.register('aios-agent-step', async (e: any) => {
    await sleep(30);
    if (failAgent) { const err = new Error('Bedrock throttled the request 3 times'); err.name = 'Model.Throttled'; throw err; }
    agentCalls++; if (agentCalls === 1) return { status: 'tool_use', turn: e.turn, toolCalls: [
      { toolUseId: 'tu-1', name: 'refunds.issue', input: { orderId: 'KC-10482', amount: 120, currency: 'USD', reason: 'parcel lost' }, reason: 'parcel lost in transit' },
      { toolUseId: 'tu-2', name: 'tickets.reply', input: { ticketId: '4821', body: 'We are refunding your order.' } },
    ], output: null, usage: { inputTokens: 1840, outputTokens: 212, costUsd: 0.002536 } };
    return { status: 'done', turn: e.turn, toolCalls: [], output: { summary: 'Refunded KC-10482 and replied', needsHuman: false, category: 'delivery', refundUsd: 120 }, usage: { inputTokens: 2310, outputTokens: 96, costUsd: 0.002694 } };
  });
  registry.register('aios-tool-gate', async (e: any) => {
    await sleep(5);
    return e.call.name === 'refunds.issue'
      ? { decision: 'approve', ruleId: 'refund-support-lead', reason: 'refunds up to $500 need the support lead', inputDigest: 'a'.repeat(64), approval: { approvers: ['sam-ortiz'], quorum: 1, timeoutSeconds: 86400, onTimeout: 'reject', escalation: null } }
      : { decision: 'allow', ruleId: 'replies-allowed', reason: 'replying to customers is allowed', inputDigest: 'b'.repeat(64), approval: null };
  });
  registry.register('aios-approval-request', async (e: any) => { tokens.push(e.taskToken); return { approvalId: 'ap-1' }; });
  registry.register('aios-tool-refunds-issue', async () => { await sleep(20); return { status: 'ok', summary: 'refunded $120.00 on order KC-10482 (re_3Q1x)' }; });
  registry.register('aios-tool-tickets-reply', async () => ({ status: 'ok', summary: 'replied on ticket 4821' }));
  for (const t of ['knowledge.search', 'knowledge.remember']) registry.register(`aios-tool-${t.replace('.', '-')}`, async () => ({ status: 'ok', summary: 'x' }));

  const sfn = openStepFunctions({ dataDir: mkdtempSync(path.join(tmpdir(), 'gen-')), functions: registry });
  const server = await startLocalHttpServer({ services: [sfn.service] });
  const client = createAwsClients({ endpoint: server.url }, {}).sfn();
  const asl = readFileSync('/work/main/test/golden/asl/support-desk.asl.json', 'utf8');
  const values = Object.fromEntries(Object.entries(functionPlaceholders(['knowledge.remember', 'knowledge.search', 'refunds.issue', 'tickets.reply'])).map(([k, n]) => [k, `arn:aws:lambda:us-east-1:123456789012:function:${n}`]));
  const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: 'support-desk', definition: substitutePlaceholders(asl, values), roleArn: 'arn:aws:iam::123456789012:role/x' }));
  const event = JSON.parse(readFileSync('/dev/stdin', 'utf8'));
  const dump = async (arn: string, file: string) => {
    const d = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    const h = await client.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000, includeExecutionData: true }));
    writeFileSync(path.join(out, file), JSON.stringify({ execution: d, events: h.events }, null, 1) + '\n');
  };
  const waitStatus = async (arn: string) => { for (let i = 0; i < 150; i++) { if (i % 25 === 0) console.log('events', (await client.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000 }))).events!.length); const d = await client.send(new DescribeExecutionCommand({ executionArn: arn })); if (d.status !== 'RUNNING') return; await sleep(20); } };

  // 1. approved refund, two tool calls, two turns
  const a = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'run-approved', input: JSON.stringify(event) }));
  while (!(await client.send(new GetExecutionHistoryCommand({ executionArn: a.executionArn!, maxResults: 1000 }))).events!.some((e) => e.type === 'TaskSubmitted')) await sleep(20);
  await dump(a.executionArn!, 'support-desk-waiting.history.json');
  await sleep(400);
  console.log('tokens', tokens.length, tokens[0].slice(0,20)); await client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: JSON.stringify({ approved: true, approvalId: 'ap-1', decidedBy: ['sam-ortiz'], comments: [], decidedAt: new Date().toISOString() }) }));
  await waitStatus(a.executionArn!);
  await dump(a.executionArn!, 'support-desk-succeeded.history.json');
  // 2. model failure
  failAgent = true;
  const b = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'run-failed', input: JSON.stringify(event) }));
  await waitStatus(b.executionArn!);
  await dump(b.executionArn!, 'support-desk-failed.history.json');
  client.destroy();
  await server.close();
  sfn.close();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
