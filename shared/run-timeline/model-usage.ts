/**
 * A run's model usage from its audit records (`model.called`: one per model
 * call, with tokens and cost), per agent and model, with a total.
 */
import type { AuditRecord } from '../audit/record';

export interface UsageRow {
  agentId: string;
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Rows per (agent, model) in first-call order, and their total. */
export function summariseModelUsage(records: readonly AuditRecord[]): { rows: UsageRow[]; total: Omit<UsageRow, 'agentId' | 'model'> } {
  const rows = new Map<string, UsageRow>();
  for (const r of records) {
    if (r.kind !== 'model.called') continue;
    const d = r.data as Record<string, unknown>;
    const agentId = String(d.agentId ?? '?');
    const model = String(d.model ?? '?');
    const key = JSON.stringify([agentId, model]);
    const row = rows.get(key) ?? { agentId, model, calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    row.calls++;
    row.inputTokens += Number(d.inputTokens) || 0;
    row.outputTokens += Number(d.outputTokens) || 0;
    row.costUsd += Number(d.costUsd) || 0;
    rows.set(key, row);
  }
  const list = [...rows.values()];
  const total = list.reduce(
    (t, r) => ({
      calls: t.calls + r.calls,
      inputTokens: t.inputTokens + r.inputTokens,
      outputTokens: t.outputTokens + r.outputTokens,
      costUsd: t.costUsd + r.costUsd,
    }),
    { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
  );
  return { rows: list, total };
}

const int = (n: number) => n.toLocaleString('en-US');
/** Costs of model calls are fractions of a cent: four decimals. */
export const usd = (n: number) => `$${n.toFixed(4)}`;

/** A small table; one line saying so when the run made no model calls. */
export function renderModelUsage(records: readonly AuditRecord[]): string[] {
  const { rows, total } = summariseModelUsage(records);
  if (rows.length === 0) return ['no model calls recorded'];
  const table = [
    ['agent', 'model', 'calls', 'input tokens', 'output tokens', 'cost USD'],
    ...rows.map((r) => [r.agentId, r.model, int(r.calls), int(r.inputTokens), int(r.outputTokens), usd(r.costUsd)]),
    ['total', '', int(total.calls), int(total.inputTokens), int(total.outputTokens), usd(total.costUsd)],
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  return table.map((row) =>
    row
      .map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}
