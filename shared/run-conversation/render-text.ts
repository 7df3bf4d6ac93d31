/** A run's conversations as plain lines for the terminal (`aios runs conversation`). */
import type { ConversationEntry, ConversationView, RightsView } from './conversation';

const usd = (n: number): string => `$${n.toFixed(4)}`;

function indent(text: string, prefix = '    '): string[] {
  return text.split('\n').map((l) => `${prefix}${l}`);
}

/** `allowed by rule small-refunds`, `asked (rule medium-refunds): approved by sam (web)` */
export function rightsLine(r: RightsView | null, refusedByStep: string | null): string {
  if (refusedByStep) return `refused before the rights check: ${refusedByStep}`;
  if (!r) return 'no rights decision recorded';
  const rule = r.ruleId ? `rule ${r.ruleId}` : 'no rule (default)';
  const word = r.decision === 'allow' ? 'allowed' : r.decision === 'deny' ? 'denied' : 'asked a person';
  const votes = r.votes.map((v) => `${v.vote === 'approve' ? 'approved' : 'rejected'} by ${v.by} (${v.via})${v.comment ? `: "${v.comment}"` : ''}`).join(', ');
  return `${word} by ${rule}${r.reason ? ` (${r.reason})` : ''}${votes ? `; ${votes}` : r.decision === 'approve' ? '; not decided yet' : ''}`;
}

function entryLines(e: ConversationEntry): string[] {
  switch (e.kind) {
    case 'text':
      return [`  ${e.role === 'assistant' ? 'agent' : 'told'}:`, ...indent(e.text)];
    case 'tool_call':
      return [`  calls ${e.tool} [${e.toolUseId}]: ${JSON.stringify(e.input)}`, `    rights: ${rightsLine(e.rights, e.refusedByStep)}`];
    case 'tool_result':
      return [`  result [${e.toolUseId}]${e.status === 'error' ? ' (error)' : ''}:`, ...indent(e.text)];
    case 'other':
      return [`  ${e.role}: (${e.what} block)`];
  }
}

export function renderConversations(conversations: readonly ConversationView[]): string[] {
  if (conversations.length === 0) return ['No agent conversations in this run.'];
  const lines: string[] = [];
  for (const c of conversations) {
    lines.push(
      `== agent ${c.agentId}, step ${c.stepId}: ${c.turns.length} turn${c.turns.length === 1 ? '' : 's'}, ${c.totals.inputTokens} in / ${c.totals.outputTokens} out tokens, ${usd(c.totals.costUsd)}`,
    );
    lines.push('-- system prompt', ...indent(c.systemPrompt ?? '(the definition no longer has this agent)'));
    lines.push(`-- knowledge quoted: ${c.knowledge.length ? c.knowledge.map((k) => `${k.namespace}/${k.source}`).join(', ') : 'none'}`);
    for (const t of c.turns) {
      lines.push(
        `-- turn ${t.turn}: ${t.inputTokens} in / ${t.outputTokens} out tokens, ${usd(t.costUsd)}${t.modelCalls > 1 ? ` (${t.modelCalls} model calls)` : ''}`,
      );
      for (const e of t.entries) lines.push(...entryLines(e));
    }
    lines.push(`-- final answer${c.finalAnswer === null ? ': none yet' : ':'}`);
    if (c.finalAnswer !== null) lines.push(...indent(c.finalAnswer));
    lines.push('');
  }
  return lines;
}
