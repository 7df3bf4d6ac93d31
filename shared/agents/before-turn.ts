/**
 * What the agent step reads before a turn, in one request: whether the
 * agent is suspended (`control#agent#<id>`) and its token totals in the run
 * (`run#<runId>` `usage#<agentId>`). Both items are read by key, so one
 * BatchGetItem replaces two GetItems on every turn, here and on AWS.
 */
import { agentControlKey, suspensionOf, type Control } from '../console/controls';
import type { ItemsReader } from '../storage/items-reader';
import { totalsOf, usageKey, type UsageTotals } from './usage-ledger';

export interface BeforeTurn {
  /** Set when the agent is suspended: its model is not called. */
  suspension: Control | undefined;
  /** The agent's tokens and cost in the run so far (its budget is checked against them). */
  totals: UsageTotals;
}

export type BeforeTurnReads = (runId: string, agentId: string) => Promise<BeforeTurn>;

/** Both reads of a turn through `read` (one request where the table reads in batches). */
export function beforeTurnReads(read: ItemsReader): BeforeTurnReads {
  return async (runId, agentId) => {
    const [control, usage] = await read([agentControlKey(agentId), usageKey(runId, agentId)]);
    return { suspension: suspensionOf(control), totals: totalsOf(usage) };
  };
}
