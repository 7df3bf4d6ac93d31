/**
 * Tokens and cost per run and agent, on the `Table` port (`state` table,
 * pk `run#<runId>`): a running total (`usage#<agentId>`, atomic adds) that
 * enforces the token budget, and one record per model call
 * (`modelcall#<agentId>#<turn>#<n>`) for `aios runs show` and the audit.
 */
import { queryAll, type Table } from '../storage/table';
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

export class UsageLedger {
  constructor(private readonly table: Table) {}

  async totals(runId: string, agentId: string): Promise<UsageTotals> {
    const item = await this.table.get({ pk: runPk(runId), sk: `usage#${agentId}` });
    if (!item) return { ...ZERO };
    return {
      inputTokens: (item.inputTokens as number) ?? 0,
      outputTokens: (item.outputTokens as number) ?? 0,
      costUsd: (item.costUsd as number) ?? 0,
      calls: (item.calls as number) ?? 0,
    };
  }

  /** Adds one call to the totals (atomic increments) and keeps its record. */
  async record(runId: string, call: ModelCallRecord): Promise<UsageTotals> {
    const pk = runPk(runId);
    await this.table.put({
      pk,
      sk: `modelcall#${call.agentId}#${String(call.turn).padStart(4, '0')}#${call.attempt}#${call.at}`,
      ...call,
    });
    const after = await this.table.update(
      { pk, sk: `usage#${call.agentId}` },
      { add: { inputTokens: call.inputTokens, outputTokens: call.outputTokens, costUsd: call.costUsd, calls: 1 } },
    );
    return {
      inputTokens: after.inputTokens as number,
      outputTokens: after.outputTokens as number,
      costUsd: after.costUsd as number,
      calls: after.calls as number,
    };
  }

  /** Every model call of the run, in turn order (all agents). */
  async calls(runId: string): Promise<ModelCallRecord[]> {
    const items = await queryAll(this.table, runPk(runId), { skPrefix: 'modelcall#' });
    return items.map(({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as ModelCallRecord);
  }
}
