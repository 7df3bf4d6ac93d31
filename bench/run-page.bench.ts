/**
 * The console's run page for a run whose agent talked for 50 turns, against
 * the same page for a 4-turn conversation, on the local runtime in this
 * process. Both runs are real Stripe dispute runs (event → support-desk →
 * agent step → approval); each conversation is then carried on to its length
 * by repeating the agent's own first tool turn — the messages in the
 * conversation store and the `model.called`, `rights.evaluated` and
 * `tool.ran` records in the audit chain, as agent-step, tool-gate and
 * tool-run write them — so the page renders what a long run would hold.
 * Times are each request's wall time over loopback through the console's
 * Lambda handler.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { startAiosRuntime } from '../local/aios-runtime';
import { ConversationStore, type StoredMessage } from '../shared/agents/conversation-store';
import type { ContentBlock, ToolResultBlock, ToolUseBlock } from '../shared/agents/converse-shapes';
import { ApprovalStore } from '../shared/approvals/approval-store';
import { AuditLog, type AuditData } from '../shared/audit';
import { createAwsClients } from '../shared/aws/clients';
import { SessionStore } from '../shared/console/session-store';
import { openTable } from '../shared/tables';
import { timed } from './timing';

const root = path.join(__dirname, '..');
const REQUESTS = 30;

const toolUseOf = (m: StoredMessage) => m.message.content.find((b): b is Extract<ContentBlock, { toolUse: unknown }> => 'toolUse' in b)?.toolUse;

/**
 * Carries the run's conversation on to `turns` turns by repeating its first
 * tool turn (the assistant's tool call and the tool's result) with fresh tool
 * use ids, writing the conversation and audit records each turn leaves.
 */
async function extendConversation(runId: string, turns: number): Promise<{ agentId: string; stepId: string; before: number }> {
  const store = new ConversationStore(openTable('state'));
  const audit = new AuditLog(openTable('audit'));
  const [conv] = await store.ofRun(runId);
  if (!conv) throw new Error(`run ${runId} has no conversation`);
  const ref = { runId, agentId: conv.agentId, stepId: conv.stepId };
  const callIndex = conv.messages.findIndex((m) => m.message.role === 'assistant' && toolUseOf(m));
  const call = conv.messages[callIndex];
  const result = conv.messages[callIndex + 1];
  const use = call && toolUseOf(call);
  if (!use || !result) throw new Error(`run ${runId}: the conversation has no tool turn to repeat`);
  const records = await audit.records(runId);
  const modelCall = records.find((r) => r.kind === 'model.called')?.data;
  const rights = records.find((r) => r.kind === 'rights.evaluated' && r.data.toolUseId === use.toolUseId)?.data;
  const ran = records.find((r) => r.kind === 'tool.ran' && r.data.toolUseId === use.toolUseId)?.data;
  if (!modelCall || !rights || !ran) throw new Error(`run ${runId}: the audit trail lacks the tool turn's records`);
  const before = Math.max(...conv.messages.map((m) => m.turn));
  let seq = Math.max(...conv.messages.map((m) => m.seq));
  for (let turn = before + 1; turn <= turns; turn++) {
    const toolUseId = `tooluse_bench_${String(turn).padStart(3, '0')}`;
    const rewrite = (blocks: ContentBlock[]): ContentBlock[] =>
      blocks.map((b) => ('toolUse' in b ? { toolUse: { ...(b.toolUse as ToolUseBlock), toolUseId } } : 'toolResult' in b ? { toolResult: { ...(b.toolResult as ToolResultBlock), toolUseId } } : b));
    await store.append(ref, { seq: ++seq, turn, message: { role: 'assistant', content: rewrite(call.message.content) } });
    await audit.append(runId, 'model.called', { ...(modelCall as AuditData<'model.called'>), turn });
    await audit.append(runId, 'rights.evaluated', { ...(rights as AuditData<'rights.evaluated'>), toolUseId });
    await audit.append(runId, 'tool.ran', { ...(ran as AuditData<'tool.ran'>), toolUseId });
    await store.append(ref, { seq: ++seq, turn, message: { role: 'user', content: rewrite(result.message.content) } });
  }
  return { agentId: conv.agentId, stepId: conv.stepId, before };
}

export default async function runPageBench(): Promise<string> {
  const saved = { ...process.env };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aios-run-page-bench-'));
  delete process.env.AIOS_OS_MODULE;
  delete process.env.AIOS_RECORDINGS_DIR;
  const rt = await startAiosRuntime({ port: 0, dataDir, schedules: false });
  try {
    const aws = createAwsClients({ endpoint: rt.url }, {});
    const sample = JSON.parse(readFileSync(path.join(root, 'events/samples/bus/stripe.charge.dispute.created.json'), 'utf8')) as { source: string; 'detail-type': string; detail: unknown };
    const approvals = new ApprovalStore(openTable('state'));
    const runs: string[] = [];
    for (let k = 0; k < 2; k++) {
      await aws.eventBridge().send(new PutEventsCommand({ Entries: [{ EventBusName: 'aios', Source: sample.source, DetailType: sample['detail-type'], Detail: JSON.stringify(sample.detail) }] }));
      for (let i = 0; i < 300 && runs.length === k; i++) {
        const waiting = (await approvals.list()).find((a) => a.status === 'pending' && !runs.includes(a.runId))?.runId;
        if (waiting) runs.push(waiting);
        else await new Promise((r) => setTimeout(r, 100));
      }
      if (runs.length === k) throw new Error('a dispute run did not reach its approval');
    }
    const [short, long] = runs;
    const shortConv = await extendConversation(short, 4);
    const longConv = await extendConversation(long, 50);

    const { id: session } = await new SessionStore(openTable('state')).create('maya', new Date());
    const get = async (p: string) => {
      const res = await fetch(`${rt.url}${p}`, { headers: { cookie: `aios_console_session=${session}` } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${body.slice(0, 200)}`);
      return body;
    };
    const page = { short: await get(`/console/runs/${short}`), long: await get(`/console/runs/${long}`) };
    for (const [what, html, turns] of [['4-turn', page.short, 4], ['50-turn', page.long, 50]] as const) {
      if (!html.includes(`tooluse_bench_${String(turns).padStart(3, '0')}`) && !html.includes(`Turn ${turns}`) && !html.includes(`turn ${turns}`)) throw new Error(`the ${what} run page does not show turn ${turns}`);
    }
    const timeShort = await timed(REQUESTS, async () => void (await get(`/console/runs/${short}`)));
    const timeLong = await timed(REQUESTS, async () => void (await get(`/console/runs/${long}`)));
    const kib = (html: string) => Buffer.byteLength(html) / 1024;
    const perTurn = (kib(page.long) - kib(page.short)) / (50 - 4);
    const row = (what: string, html: string, t: { p50: number; p99: number }) => `| ${what} | ${kib(html).toFixed(1)} | ${t.p50.toFixed(1)} | ${t.p99.toFixed(1)} |`;
    return [
      '## Run page with a 50-turn agent conversation',
      '',
      `Two real Stripe dispute runs on the local runtime, each waiting on its approval; agent \`${longConv.agentId}\` in step \`${longConv.stepId}\` ended its real conversation at turn ${Math.max(shortConv.before, longConv.before)}, and each conversation is carried on to its length by repeating the agent's first tool turn (stored messages plus the \`model.called\`, \`rights.evaluated\` and \`tool.ran\` audit records, as the agent step and the tool gate write them). \`/console/runs/<id>\` as a signed-in admin, ${REQUESTS} requests after 3 warm-ups, wall time over loopback through the console's Lambda handler.`,
      '',
      '| run page | weight KiB | server p50 ms | server p99 ms |',
      '|---|---:|---:|---:|',
      row('4-turn conversation', page.short, timeShort),
      row('50-turn conversation', page.long, timeLong),
      '',
      `50 turns against 4: ${(kib(page.long) / kib(page.short)).toFixed(1)}× the weight, ${(timeLong.p50 / timeShort.p50).toFixed(1)}× the p50 server time. Each turn (tool call with its rights decision, tool result, tokens and cost) adds ${perTurn.toFixed(1)} KiB, so the page passes the console's 100 KiB page budget at about ${Math.ceil(4 + (100 - kib(page.short)) / perTurn)} turns: every turn is sent in full, none is paged.`,
    ].join('\n');
  } finally {
    await rt.close();
    process.env = saved;
    rmSync(dataDir, { recursive: true, force: true });
  }
}
