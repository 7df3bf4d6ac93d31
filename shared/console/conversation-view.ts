/**
 * The agent conversations of a run page: the system prompt and knowledge
 * (folded), then each turn's messages, tool calls with the rule that decided
 * them and who approved, tool results, tokens and cost, and the final
 * answer. Every piece of text is escaped: it came from a model or an event.
 */
import { prettyJson } from '../approvals/html';
import type { ConversationEntry, ConversationView, RightsView } from '../run-conversation';
import { badge, escapeHtml, usd } from './pages/layout';

function rightsHtml(r: RightsView | null, refusedByStep: string | null, personName: (id: string) => string): string {
  if (refusedByStep) return `${badge('deny')} <span class="small">refused before the rights check: ${escapeHtml(refusedByStep)}</span>`;
  if (!r) return '<span class="muted small">no rights decision recorded</span>';
  const rule = r.ruleId ? `rule <strong class="rule">${escapeHtml(r.ruleId)}</strong>` : '<span class="rule">no rule (default)</span>';
  const votes = r.votes.length
    ? ` · ${r.votes.map((v) => `${v.vote === 'approve' ? 'approved' : 'rejected'} by ${escapeHtml(personName(v.by))} (${escapeHtml(v.via)})${v.comment ? `: “${escapeHtml(v.comment)}”` : ''}`).join(', ')}`
    : r.decision === 'approve'
      ? ' · not decided yet'
      : '';
  return `${badge(r.decision)} ${rule}${r.reason ? ` <span class="small">${escapeHtml(r.reason)}</span>` : ''}${votes}`;
}

function entryHtml(e: ConversationEntry, personName: (id: string) => string): string {
  switch (e.kind) {
    case 'text':
      return `<div class="msg ${e.role}"><p class="small muted">${e.role === 'assistant' ? 'Agent' : 'Told'}</p><pre>${escapeHtml(e.text)}</pre></div>`;
    case 'tool_call':
      return `<div class="msg call" data-tool-use="${escapeHtml(e.toolUseId)}"><p>Calls <strong>${escapeHtml(e.tool)}</strong> · rights: <span class="rights">${rightsHtml(e.rights, e.refusedByStep, personName)}</span></p><pre>${escapeHtml(prettyJson(e.input))}</pre></div>`;
    case 'tool_result':
      return `<div class="msg result"><p class="small muted">Result${e.status === 'error' ? ` ${badge('error')}` : ''}</p><pre>${escapeHtml(e.text)}</pre></div>`;
    case 'other':
      return `<div class="msg"><p class="small muted">${escapeHtml(e.role)}: a ${escapeHtml(e.what)} block</p></div>`;
  }
}

export function conversationsHtml(conversations: readonly ConversationView[], personName: (id: string) => string): string {
  if (conversations.length === 0) return '<p class="muted">No agent conversations in this run.</p>';
  return conversations
    .map(
      (
        c,
      ) => `<section class="card conversation" data-agent="${escapeHtml(c.agentId)}" data-step="${escapeHtml(c.stepId)}"><h3>Agent ${escapeHtml(c.agentId)} in step ${escapeHtml(c.stepId)}</h3>
<p class="small muted">${c.turns.length} turn${c.turns.length === 1 ? '' : 's'} · ${c.totals.inputTokens} / ${c.totals.outputTokens} tokens · ${usd(c.totals.costUsd)}</p>
<details><summary>System prompt</summary><pre>${escapeHtml(c.systemPrompt ?? '(the definition no longer has this agent)')}</pre></details>
<details><summary>Knowledge quoted (${c.knowledge.length})</summary>${c.knowledge.length ? c.knowledge.map((k) => `<p class="small"><strong>${escapeHtml(k.namespace)}/${escapeHtml(k.source)}</strong>${k.title ? ` ${escapeHtml(k.title)}` : ''}</p><pre>${escapeHtml(k.text)}</pre>`).join('') : '<p class="muted">None.</p>'}</details>
${c.turns
  .map(
    (t) =>
      `<div class="turn"><h4>Turn ${t.turn} <span class="small muted">${t.inputTokens} / ${t.outputTokens} tokens · ${usd(t.costUsd)}${t.modelCalls > 1 ? ` · ${t.modelCalls} model calls` : ''}</span></h4>${t.entries.map((e) => entryHtml(e, personName)).join('')}</div>`,
  )
  .join('')}
<h4>Final answer</h4>${c.finalAnswer === null ? '<p class="muted">None yet.</p>' : `<pre class="final">${escapeHtml(c.finalAnswer)}</pre>`}</section>`,
    )
    .join('');
}
