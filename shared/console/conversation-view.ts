/**
 * The agent conversations of a run page: the system prompt and knowledge
 * (folded), then each turn's messages, tool calls with the rule that decided
 * them and who approved, tool results, tokens and cost, and the final
 * answer. Every piece of text is escaped: it came from a model or an event.
 */
import { prettyJson } from '../approvals/html';
import type { ConversationEntry, ConversationView, RightsView, TurnView } from '../run-conversation';
import { badge, escapeHtml, usd } from './pages/layout';
import { TURNS_PER_PAGE, turnPages, turnsOnRunPage } from './run-paging';

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

function turnHtml(t: TurnView, personName: (id: string) => string): string {
  return `<div class="turn" id="turn-${t.turn}"><h4>Turn ${t.turn} <span class="small muted">${t.inputTokens} / ${t.outputTokens} tokens · ${usd(t.costUsd)}${
    t.modelCalls > 1 ? ` · ${t.modelCalls} model calls` : ''
  }</span></h4>${t.entries.map((e) => entryHtml(e, personName)).join('')}</div>`;
}

/** Links to the `?turns=` pages holding the turns the run page leaves out. */
function olderTurnsHtml(runId: string, c: ConversationView, shown: ReadonlySet<number>): string {
  const hidden = c.turns.filter((t) => !shown.has(t.turn)).map((t) => t.turn);
  if (!hidden.length) return '';
  const pages = turnPages(c.turns.map((t) => t.turn)).filter((p) => hidden.some((n) => n >= p.from && n <= p.to));
  const span = hidden.length === 1 ? `Turn ${hidden[0]} is` : `Turns ${hidden[0]}–${hidden[hidden.length - 1]} are`;
  return `<nav class="notice older-turns" aria-label="Earlier turns of ${escapeHtml(c.agentId)}"><p>${span} on their own pages, ${TURNS_PER_PAGE} turns each: ${pages
    .map((p) => `<a href="${turnsHref(runId, p)}">${p.from === p.to ? p.from : `${p.from}–${p.to}`}</a>`)
    .join(' · ')}</p></nav>`;
}

function turnsHref(runId: string, p: { from: number; to: number }): string {
  return `/console/runs/${encodeURIComponent(runId)}?turns=${p.from}-${p.to}#conversation`;
}

function headingHtml(c: ConversationView): string {
  return `<h3>Agent ${escapeHtml(c.agentId)} in step ${escapeHtml(c.stepId)}</h3>
<p class="small muted">${c.turns.length} turn${c.turns.length === 1 ? '' : 's'} · ${c.totals.inputTokens} / ${c.totals.outputTokens} tokens · ${usd(c.totals.costUsd)}</p>`;
}

function finalAnswerHtml(c: ConversationView): string {
  return `<h4>Final answer</h4>${c.finalAnswer === null ? '<p class="muted">None yet.</p>' : `<pre class="final">${escapeHtml(c.finalAnswer)}</pre>`}`;
}

/**
 * The run page's conversations: the system prompt and knowledge, the first
 * turn, links to the pages of the turns left out, the latest turns and the
 * final answer (run-paging.ts says how many).
 */
export function conversationsHtml(runId: string, conversations: readonly ConversationView[], personName: (id: string) => string): string {
  if (conversations.length === 0) return '<p class="muted">No agent conversations in this run.</p>';
  return conversations
    .map((c) => {
      const shown = turnsOnRunPage(c.turns.map((t) => t.turn));
      const [first, ...rest] = c.turns.filter((t) => shown.has(t.turn));
      return `<section class="card conversation" data-agent="${escapeHtml(c.agentId)}" data-step="${escapeHtml(c.stepId)}">${headingHtml(c)}
<details><summary>System prompt</summary><pre>${escapeHtml(c.systemPrompt ?? '(the definition no longer has this agent)')}</pre></details>
<details><summary>Knowledge quoted (${c.knowledge.length})</summary>${
        c.knowledge.length
          ? c.knowledge
              .map(
                (k) =>
                  `<p class="small"><strong>${escapeHtml(k.namespace)}/${escapeHtml(k.source)}</strong>${k.title ? ` ${escapeHtml(k.title)}` : ''}</p><pre>${escapeHtml(k.text)}</pre>`,
              )
              .join('')
          : '<p class="muted">None.</p>'
      }</details>
${first ? turnHtml(first, personName) : ''}${olderTurnsHtml(runId, c, shown)}${rest.map((t) => turnHtml(t, personName)).join('')}
${finalAnswerHtml(c)}</section>`;
    })
    .join('');
}

/** A `?turns=from-to` page: those turns of each conversation, with links to the pages before and after. */
export function conversationTurnsHtml(
  runId: string,
  conversations: readonly ConversationView[],
  range: { from: number; to: number },
  personName: (id: string) => string,
): string {
  const runHref = `/console/runs/${encodeURIComponent(runId)}`;
  const blocks = conversations.map((c) => {
    const numbers = c.turns.map((t) => t.turn);
    const pages = turnPages(numbers);
    const here = c.turns.filter((t) => t.turn >= range.from && t.turn <= range.to);
    const before = [...pages].reverse().find((p) => p.to < range.from);
    const after = pages.find((p) => p.from > range.to);
    const nav = (where: string) =>
      `<nav class="pager" aria-label="Turns of ${escapeHtml(c.agentId)}, ${where}"><p>${before ? `<a href="${turnsHref(runId, before)}" rel="prev">← turns ${before.from}–${before.to}</a> · ` : ''}${
        pages.length
          ? `pages: ${pages.map((p) => (p.from === range.from && p.to === range.to ? `<strong>${p.from}–${p.to}</strong>` : `<a href="${turnsHref(runId, p)}">${p.from}–${p.to}</a>`)).join(' · ')}`
          : ''
      }${after ? ` · <a href="${turnsHref(runId, after)}" rel="next">turns ${after.from}–${after.to} →</a>` : ''}</p></nav>`;
    return `<section class="card conversation" data-agent="${escapeHtml(c.agentId)}" data-step="${escapeHtml(c.stepId)}">${headingHtml(c)}
<p class="small">Turns ${range.from}–${range.to}. The system prompt, the knowledge quoted, the latest turns and the final answer are on <a href="${runHref}#conversation">the run page</a>.</p>${nav('above')}
${here.length ? here.map((t) => turnHtml(t, personName)).join('') : '<p class="muted">No turns in this range.</p>'}${here.length ? nav('below') : ''}${
      here.some((t) => t.turn === numbers[numbers.length - 1]) ? finalAnswerHtml(c) : ''
    }</section>`;
  });
  return blocks.length ? blocks.join('') : '<p class="muted">No agent conversations in this run.</p>';
}
