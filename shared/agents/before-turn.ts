/**
 * What the agent step reads before a turn, in one request: whether the
 * agent is suspended (`control#agent#<id>`), its token totals in the run
 * (`run#<runId>` `usage#<agentId>`) and, on a conversation's first turn,
 * whether its first message is stored. All are read by key, so one
 * BatchGetItem replaces two GetItems on every turn, and the conversation's
 * query on its first turn (a conversation holds anything only if it holds
 * its first message: conversation-store.ts), here and on AWS.
 */
import { agentControlKey, suspensionOf, type Control } from '../console/controls';
import type { ItemsReader } from '../storage/items-reader';
import { firstMessageKey, type ConversationRef } from './conversation-store';
import { totalsOf, usageKey, type UsageTotals } from './usage-ledger';

export interface BeforeTurn {
  /** Set when the agent is suspended: its model is not called. */
  suspension: Control | undefined;
  /** The agent's tokens and cost in the run so far (its budget is checked against them). */
  totals: UsageTotals;
  /** Asked with `firstTurnOf`: that conversation has no message stored (no earlier attempt left any). */
  conversationEmpty?: boolean;
}

export type BeforeTurnReads = (runId: string, agentId: string, firstTurnOf?: ConversationRef) => Promise<BeforeTurn>;

/** The reads of a turn through `read` (one request where the table reads in batches). */
export function beforeTurnReads(read: ItemsReader): BeforeTurnReads {
  return async (runId, agentId, firstTurnOf) => {
    const [control, usage, first] = await read([agentControlKey(agentId), usageKey(runId, agentId), ...(firstTurnOf ? [firstMessageKey(firstTurnOf)] : [])]);
    return { suspension: suspensionOf(control), totals: totalsOf(usage), ...(firstTurnOf ? { conversationEmpty: first === undefined } : {}) };
  };
}
