/**
 * The console's run page for runs whose agent talked for 50 and 500 turns,
 * against the same page for a 4-turn conversation, on the local runtime in
 * this process, and the pages of older turns the run page links to. All are
 * real Stripe dispute runs (event → support-desk →
 * agent step → approval); each conversation is then carried on to its length
 * by repeating the agent's own first tool turn — the messages in the
 * conversation store and the `model.called`, `rights.evaluated` and
 * `tool.ran` records in the audit chain, as agent-step, tool-gate and
 * tool-run write them — so the page renders what a long run would hold.
 * Times are each request's wall time over loopback through the console's
 * Lambda handler.
 */
import { ConversationStore, type StoredMessage } from '../shared/agents/conversation-store';
import type { ContentBlock, ToolResultBlock, ToolUseBlock } from '../shared/agents/converse-shapes';
import type { AuditData } from '../shared/audit';
import type { AiosEnvironment } from '../shared/composition/environment';
import { auditLog, stateTable } from '../shared/composition/tables';
import { LATEST_CALLS, LATEST_TIMELINE_LINES, LATEST_TURNS, TIMELINE_LINES_PER_PAGE, TURNS_PER_PAGE } from '../shared/console/run-paging';
import { startDisputeRuntime } from './dispute-runtime';
import { timed } from './timing';

const REQUESTS = 30;

const toolUseOf = (m: StoredMessage) => m.message.content.find((b): b is Extract<ContentBlock, { toolUse: unknown }> => 'toolUse' in b)?.toolUse;

/**
 * Carries the run's conversation on to `turns` turns by repeating its first
 * tool turn (the assistant's tool call and the tool's result) with fresh tool
 * use ids, writing the conversation and audit records each turn leaves.
 */
async function extendConversation(env: AiosEnvironment, runId: string, turns: number): Promise<{ agentId: string; stepId: string; before: number }> {
  const store = new ConversationStore(stateTable(env));
  const audit = auditLog(env);
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
      blocks.map((b) =>
        'toolUse' in b
          ? { toolUse: { ...(b.toolUse as ToolUseBlock), toolUseId } }
          : 'toolResult' in b
            ? { toolResult: { ...(b.toolResult as ToolResultBlock), toolUseId } }
            : b,
      );
    await store.append(ref, { seq: ++seq, turn, message: { role: 'assistant', content: rewrite(call.message.content) } });
    await audit.append(runId, 'model.called', { ...(modelCall as AuditData<'model.called'>), turn });
    await audit.append(runId, 'rights.evaluated', { ...(rights as AuditData<'rights.evaluated'>), toolUseId });
    await audit.append(runId, 'tool.ran', { ...(ran as AuditData<'tool.ran'>), toolUseId });
    await store.append(ref, { seq: ++seq, turn, message: { role: 'user', content: rewrite(result.message.content) } });
  }
  return { agentId: conv.agentId, stepId: conv.stepId, before };
}

export default async function runPageBench(): Promise<string> {
  const bench = await startDisputeRuntime('run-page');
  try {
    const LENGTHS = [4, 50, 500] as const;
    const runs: string[] = [];
    for (let k = 0; k < LENGTHS.length; k++) runs.push(await bench.startDisputeRun());
    const convs = [];
    for (let k = 0; k < LENGTHS.length; k++) convs.push(await extendConversation(bench.rt.environment, runs[k], LENGTHS[k]));

    const get = bench.consoleGet;
    const kib = (html: string) => Buffer.byteLength(html) / 1024;
    const rows: string[] = [];
    let heaviest = 0;
    for (let k = 0; k < LENGTHS.length; k++) {
      const turns = LENGTHS[k];
      const html = await get(`/console/runs/${runs[k]}`);
      if (!html.includes(`Turn ${turns} `)) throw new Error(`the ${turns}-turn run page does not show turn ${turns}`);
      // Every turn the run page leaves out is on a page it links to.
      const pages = [...new Set([...html.matchAll(/href="(\/console\/runs\/[^"?]+\?turns=[0-9-]+)/g)].map((m) => m[1]))];
      const seen = new Set([...html.matchAll(/id="turn-(\d+)"/g)].map((m) => Number(m[1])));
      const weights: number[] = [];
      for (const p of pages) {
        const body = await get(p);
        weights.push(kib(body));
        for (const m of body.matchAll(/id="turn-(\d+)"/g)) seen.add(Number(m[1]));
      }
      if (seen.size < turns) throw new Error(`the ${turns}-turn run: only ${seen.size} turns reachable from its page`);
      heaviest = Math.max(heaviest, kib(html), ...weights);
      const t = await timed(REQUESTS, async () => void (await get(`/console/runs/${runs[k]}`)));
      rows.push(`| ${turns}-turn conversation: run page | ${kib(html).toFixed(1)} | ${t.p50.toFixed(1)} | ${t.p99.toFixed(1)} |`);
      if (pages.length) {
        const last = pages[pages.length - 1];
        const tp = await timed(REQUESTS, async () => void (await get(last)));
        rows.push(
          `| ${turns}-turn conversation: ${pages.length} page${pages.length === 1 ? '' : 's'} of older turns, heaviest | ${Math.max(...weights).toFixed(1)} | ${tp.p50.toFixed(1)} | ${tp.p99.toFixed(1)} |`,
        );
      }
    }
    return [
      '## Run page with a 50-turn agent conversation',
      '',
      `Three real Stripe dispute runs on the local runtime, each waiting on its approval; agent \`${convs[0].agentId}\` in step \`${convs[0].stepId}\` ended its real conversation at turn ${Math.max(...convs.map((c) => c.before))}, and each conversation is carried on to its length by repeating the agent's first tool turn (stored messages plus the \`model.called\`, \`rights.evaluated\` and \`tool.ran\` audit records, as the agent step and the tool gate write them). \`/console/runs/<id>\` as a signed-in admin, and the \`?turns=A-B\` pages it links to; times of the run page and of its last page of older turns, ${REQUESTS} requests after 3 warm-ups, wall time over loopback through the console's Lambda handler.`,
      '',
      '| page | weight KiB | server p50 ms | server p99 ms |',
      '|---|---:|---:|---:|',
      ...rows,
      '',
      `The run page carries the first turn and the latest ${LATEST_TURNS}, the latest ${LATEST_CALLS} tool and model calls and the last ${LATEST_TIMELINE_LINES} timeline lines; older turns are on pages of ${TURNS_PER_PAGE} (\`?turns=A-B\`) and older timeline lines on pages of ${TIMELINE_LINES_PER_PAGE} (\`?timeline=N\`), every one linked. The heaviest page measured is ${heaviest.toFixed(1)} KiB, under the console's 100 KiB page budget at 500 turns; the server still reads the whole conversation for each page, so its time grows with the turns.`,
    ].join('\n');
  } finally {
    await bench.close();
  }
}
