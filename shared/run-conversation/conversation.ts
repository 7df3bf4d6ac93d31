/**
 * What each agent of a run was told and said, in order: the system prompt
 * (rebuilt from the definition and the knowledge the step stored, exactly
 * as agent-step builds it), the knowledge quoted, every message, each tool
 * call with the rights decision the audit trail recorded for it (rule,
 * outcome, who approved or rejected), each tool result, the tokens and cost
 * of each turn, and the final answer.
 *
 * Pure: the console's run page and `aios runs conversation` read the stores
 * and hand the records in.
 */
import type { StoredMessage } from '../agents/conversation-store';
import type { ContentBlock } from '../agents/converse-shapes';
import type { KnowledgeExcerpt } from '../agents/knowledge-port';
import { systemPrompt, type PromptAgent } from '../agents/prompt';
import type { AuditRecord } from '../audit/record';

/** One agent's conversation in one step, as stored. */
export interface StoredConversation {
  agentId: string;
  stepId: string;
  messages: StoredMessage[];
  knowledge: KnowledgeExcerpt[];
}

export interface RightsView {
  decision: 'allow' | 'approve' | 'deny';
  ruleId: string | null;
  reason: string;
  approvalId: string | null;
  /** Votes on its approval, in order. */
  votes: { by: string; vote: 'approve' | 'reject'; via: string; at: string; comment?: string }[];
  /** The approval's outcome once decided. */
  approval: 'pending' | 'approved' | 'rejected' | null;
}

export type ConversationEntry =
  | { kind: 'text'; role: 'user' | 'assistant'; text: string }
  | { kind: 'tool_call'; toolUseId: string; tool: string; input: unknown; rights: RightsView | null; refusedByStep: string | null }
  | { kind: 'tool_result'; toolUseId: string; status: 'success' | 'error'; text: string }
  | { kind: 'other'; role: 'user' | 'assistant'; what: string };

export interface TurnView {
  turn: number;
  entries: ConversationEntry[];
  /** Summed over the turn's model calls (a re-ask makes two). */
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  modelCalls: number;
}

export interface ConversationView {
  agentId: string;
  stepId: string;
  /** null when the definition no longer has the agent. */
  systemPrompt: string | null;
  knowledge: KnowledgeExcerpt[];
  turns: TurnView[];
  /** The last assistant text, when the conversation ended without a tool call. */
  finalAnswer: string | null;
  totals: { inputTokens: number; outputTokens: number; costUsd: number };
}

export interface ConversationInput {
  workflowId: string;
  conversations: readonly StoredConversation[];
  audit: readonly AuditRecord[];
  /** The agents of the definition, to rebuild each system prompt. */
  agents: readonly PromptAgent[];
  /** The run's approvals and the tool call each asked about (the approval store knows the call). */
  approvals?: readonly { id: string; toolUseId: string | null }[];
  /** Shown for a tool call by its Bedrock name; maps back to the tool id. */
  toolIdOf?: (bedrockName: string) => string | undefined;
}

function textOfResult(content: readonly unknown[]): string {
  return content
    .map((c) => {
      const block = c as { text?: unknown; json?: unknown };
      if (typeof block.text === 'string') return block.text;
      if ('json' in block) return JSON.stringify(block.json, null, 2);
      return JSON.stringify(block);
    })
    .join('\n');
}

/** Rights decisions and approvals by tool use id, from the audit trail. */
function rightsByToolUse(audit: readonly AuditRecord[], approvals: readonly { id: string; toolUseId: string | null }[]): Map<string, RightsView> {
  const rights = new Map<string, RightsView>();
  const approvalOf = new Map<string, string>();
  for (const a of approvals) if (a.toolUseId) approvalOf.set(a.id, a.toolUseId);
  for (const r of audit) {
    const d = r.data as Record<string, unknown>;
    if (r.kind === 'rights.evaluated' && typeof d.toolUseId === 'string') {
      rights.set(d.toolUseId, {
        decision: d.decision as RightsView['decision'],
        ruleId: (d.ruleId as string | null) ?? null,
        reason: String(d.reason ?? ''),
        approvalId: null,
        votes: [],
        approval: null,
      });
    } else if (r.kind === 'tool.ran' && typeof d.toolUseId === 'string' && typeof d.approvalId === 'string') {
      approvalOf.set(d.approvalId, d.toolUseId);
    }
  }
  for (const [approvalId, toolUseId] of approvalOf) {
    const view = rights.get(toolUseId);
    if (view) view.approvalId = approvalId;
  }
  for (const r of audit) {
    const d = r.data as Record<string, unknown>;
    if (r.kind !== 'approval.decided' || typeof d.approvalId !== 'string') continue;
    const view = rights.get(approvalOf.get(d.approvalId) ?? '');
    if (!view) continue;
    view.votes.push({
      by: String(d.by),
      vote: d.decision as 'approve' | 'reject',
      via: String(d.via),
      at: r.at,
      ...(typeof d.comment === 'string' ? { comment: d.comment } : {}),
    });
    view.approval = d.outcome as RightsView['approval'];
  }
  return rights;
}

function entriesOf(message: StoredMessage, rights: Map<string, RightsView>, toolIdOf: (name: string) => string | undefined): ConversationEntry[] {
  const refused = new Map((message.refused ?? []).map((r) => [r.toolUseId, r.message]));
  return message.message.content.map((block: ContentBlock): ConversationEntry => {
    if ('text' in block && typeof block.text === 'string') return { kind: 'text', role: message.message.role, text: block.text };
    if ('toolUse' in block && block.toolUse && typeof block.toolUse === 'object') {
      const use = block.toolUse as { toolUseId: string; name: string; input: unknown };
      return {
        kind: 'tool_call',
        toolUseId: use.toolUseId,
        tool: toolIdOf(use.name) ?? use.name,
        input: use.input,
        rights: rights.get(use.toolUseId) ?? null,
        refusedByStep: refused.get(use.toolUseId) ?? null,
      };
    }
    if ('toolResult' in block && block.toolResult && typeof block.toolResult === 'object') {
      const result = block.toolResult as { toolUseId: string; content: unknown[]; status?: 'success' | 'error' };
      return { kind: 'tool_result', toolUseId: result.toolUseId, status: result.status ?? 'success', text: textOfResult(result.content) };
    }
    return { kind: 'other', role: message.message.role, what: Object.keys(block)[0] ?? 'block' };
  });
}

/**
 * Every conversation of a run (in the order given).
 *
 * @example buildConversations({ workflowId, conversations, audit, agents }).map((c) => c.turns.length)
 */
export function buildConversations(input: ConversationInput): ConversationView[] {
  const rights = rightsByToolUse(input.audit, input.approvals ?? []);
  const toolIdOf = input.toolIdOf ?? ((name: string) => name);
  const calls = input.audit.filter((r) => r.kind === 'model.called').map((r) => r.data as Record<string, unknown>);
  return input.conversations.map((c) => {
    const agent = input.agents.find((a) => a.id === c.agentId);
    const byTurn = new Map<number, TurnView>();
    for (const m of c.messages) {
      const turn = byTurn.get(m.turn) ?? { turn: m.turn, entries: [], inputTokens: 0, outputTokens: 0, costUsd: 0, modelCalls: 0 };
      turn.entries.push(...entriesOf(m, rights, toolIdOf));
      byTurn.set(m.turn, turn);
    }
    // The audit trail's model calls carry the agent and the turn (not the step): an agent in two steps shares turn numbers.
    for (const d of calls) {
      const turn = d.agentId === c.agentId ? byTurn.get(Number(d.turn)) : undefined;
      if (!turn) continue;
      turn.inputTokens += Number(d.inputTokens) || 0;
      turn.outputTokens += Number(d.outputTokens) || 0;
      turn.costUsd += Number(d.costUsd) || 0;
      turn.modelCalls += 1;
    }
    const turns = [...byTurn.values()].sort((a, b) => a.turn - b.turn);
    const last = c.messages[c.messages.length - 1];
    const finalAnswer =
      last && last.message.role === 'assistant' && !last.message.content.some((b) => 'toolUse' in b)
        ? last.message.content.flatMap((b) => ('text' in b && typeof b.text === 'string' ? [b.text] : [])).join('\n')
        : null;
    return {
      agentId: c.agentId,
      stepId: c.stepId,
      systemPrompt: agent ? systemPrompt(agent, { workflowId: input.workflowId, stepId: c.stepId, knowledge: c.knowledge }) : null,
      knowledge: c.knowledge,
      turns,
      finalAnswer,
      totals: turns.reduce(
        (t, x) => ({ inputTokens: t.inputTokens + x.inputTokens, outputTokens: t.outputTokens + x.outputTokens, costUsd: t.costUsd + x.costUsd }),
        { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      ),
    };
  });
}
