/**
 * Tokens and cost per run and agent, on the `Table` port (`state` table,
 * pk `run#<runId>`): a running total (`usage#<agentId>`, atomic adds) that
 * enforces the token budget; and the same adds per UTC day over every run
 * (`usage-day#<YYYY-MM-DD>` `total`), so the console's "today" reads one
 * item where it read each of the day's runs. Each model call itself is the run's audit
 * record `model.called` (the console and `aios runs show` read those); the
 * item per call this ledger also wrote (`modelcall#…`) was read by nothing,
 * and cost every model call a write.
 */
import type { Table } from '../storage/table';
import { runPk } from './conversation-store';

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  calls: number;
}

export interface ModelCallRecord {
  agentId: string;
  turn: number;
  /** 0 for the turn's first call, 1 for the corrective re-ask. */
  attempt: number;
  modelId: string;
  stopReason: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  priced: boolean;
  latencyMs: number;
  at: string;
}

const ZERO: UsageTotals = { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 };

/** The key of an agent's totals in a run, for a caller that reads them with other items in one request. */
export const usageKey = (runId: string, agentId: string) => ({ pk: runPk(runId), sk: `usage#${agentId}` });

/** The key of the model usage of every run on a UTC day (`YYYY-MM-DD`, the day a call was made). */
export const dayUsageKey = (day: string) => ({ pk: `usage-day#${day}`, sk: 'total' });

/** The totals an item read at `usageKey` holds (zero when there is none yet). */
export function totalsOf(item: Record<string, unknown> | undefined): UsageTotals {
  if (!item) return { ...ZERO };
  return {
    inputTokens: (item.inputTokens as number) ?? 0,
    outputTokens: (item.outputTokens as number) ?? 0,
    costUsd: (item.costUsd as number) ?? 0,
    calls: (item.calls as number) ?? 0,
  };
}

export class UsageLedger {
  constructor(private readonly table: Table) {}

  async totals(runId: string, agentId: string): Promise<UsageTotals> {
    return totalsOf(await this.table.get(usageKey(runId, agentId)));
  }

  /** The model usage of every run on a UTC day (`YYYY-MM-DD`). */
  async dayTotals(day: string): Promise<UsageTotals> {
    return totalsOf(await this.table.get(dayUsageKey(day)));
  }

  /** Adds one call to the run's totals and its day's (atomic increments). */
  async record(runId: string, call: ModelCallRecord): Promise<UsageTotals> {
    const add = { inputTokens: call.inputTokens, outputTokens: call.outputTokens, costUsd: call.costUsd, calls: 1 };
    const [after] = await Promise.all([
      this.table.update(usageKey(runId, call.agentId), { add }),
      this.table.update(dayUsageKey(call.at.slice(0, 10)), { add }),
    ]);
    return {
      inputTokens: after.inputTokens as number,
      outputTokens: after.outputTokens as number,
      costUsd: after.costUsd as number,
      calls: after.calls as number,
    };
  }
}
