/**
 * What one run of a workflow costs on AWS, from its compiled ASL (see
 * asl-walk.ts for the path) and the functions' specs: Step Functions
 * transitions, Lambda requests and GB-seconds, DynamoDB requests,
 * EventBridge events and Bedrock tokens.
 */
import type { ValidOs } from '../definition';
import { costOf } from '../agents/prices';
import { planDeployment } from '../deployment/deployment-plan';
import { walkTypicalPath, walkedParts } from './asl-walk';
import {
  awsCostOfModeledRun,
  awsLines,
  DEFAULT_ASSUMPTIONS,
  US_EAST_1_PRICES,
  type CostAssumptions,
  type CostLine,
  type RunCostModel,
  type RunShape,
  type UnitPrices,
} from './run-cost-model';

export { US_EAST_1_PRICES, DEFAULT_ASSUMPTIONS, type UnitPrices, type CostAssumptions, type CostLine, type RunShape } from './run-cost-model';

export interface WorkflowCost {
  workflowId: string;
  lines: CostLine[];
  /** The AWS infrastructure lines alone (Step Functions, Lambda, DynamoDB, EventBridge): no Bedrock. */
  awsUsd: number;
  /** AWS infrastructure plus typical Bedrock tokens. */
  totalUsd: number;
  /** Bedrock at the agents' full token budgets: the most one run can spend on models. */
  bedrockCeilingUsd: number;
}

/**
 * Costs one typical run of every workflow.
 *
 * @example costPerRun(os).map((w) => `${w.workflowId}: $${w.totalUsd.toFixed(4)}`)
 */
export function costPerRun(os: ValidOs, prices: UnitPrices = { ...US_EAST_1_PRICES }, assumptions: CostAssumptions = DEFAULT_ASSUMPTIONS): WorkflowCost[] {
  const coster = workflowCoster(os, prices);
  return coster.workflowIds.map((id) => coster.cost(id, assumptions));
}

/**
 * The AWS part of one run's cost (no Bedrock: that is priced from the
 * tokens recorded), at the think steps and tool calls it actually took,
 * spread evenly over the workflow's agents. Plans once; memoised per shape.
 *
 * @example awsCostOfRun(os)('support-desk', { thinks: 4, toolCalls: 3 })
 */
export function awsCostOfRun(os: ValidOs, prices: UnitPrices = { ...US_EAST_1_PRICES }): (workflowId: string, shape: RunShape) => number {
  let cost: ((workflowId: string, shape: RunShape) => number) | undefined;
  return (workflowId, shape) => {
    if (!os.workflows.some((w) => w.id === workflowId)) return 0;
    cost ??= awsCostOfModeledRun(runCostModel(os), prices);
    return cost(workflowId, shape);
  };
}

/** What costing a run reads of the deployment, as data: each workflow's ASL and agent count, the functions' typical figures. */
export function runCostModel(os: ValidOs, options: { shortStateNames?: boolean } = {}): RunCostModel {
  const plan = planDeployment(os);
  return {
    workflows: plan.workflows.map((w) => ({
      id: w.id,
      asl: walkedParts(w.asl, { shortNames: options.shortStateNames }),
      agents: Math.max(1, new Set(os.workflows.find((x) => x.id === w.id)!.steps.flatMap(agentIdsOf)).size),
    })),
    functions: Object.fromEntries(
      plan.functions
        .filter((f) => f.placeholder)
        .map((f) => [f.placeholder!, { memoryMb: f.memoryMb, typicalMs: f.typicalMs, typicalDynamoDb: f.typicalDynamoDb }]),
    ),
  };
}

/** Plans the deployment once; then costs one run of a workflow under given assumptions. */
function workflowCoster(os: ValidOs, prices: UnitPrices): { workflowIds: string[]; cost: (workflowId: string, assumptions: CostAssumptions) => WorkflowCost } {
  const model = runCostModel(os);
  const cost = (workflowId: string, assumptions: CostAssumptions): WorkflowCost => {
    const workflow = model.workflows.find((w) => w.id === workflowId);
    if (!workflow) throw new Error(`no workflow "${workflowId}" in the deployment plan`);
    const path = walkTypicalPath(workflow.asl, assumptions);
    const lines = awsLines(model, path, prices);
    const line = (item: string, quantity: number, unit: string, unitPrice: number): CostLine => ({
      item,
      quantity,
      unit,
      unitPrice,
      usd: quantity * unitPrice,
    });
    const awsUsd = lines.reduce((s, l) => s + l.usd, 0);
    let bedrockCeilingUsd = 0;
    const thinks = path.invocations.FnAgentStep ?? 0;
    const agentIds = new Set(os.workflows.find((w) => w.id === workflow.id)!.steps.flatMap(agentIdsOf));
    for (const agent of os.agents.filter((a) => agentIds.has(a.id))) {
      const perTurn = costOf(
        agent.model,
        { inputTokens: assumptions.inputTokensPerTurn, outputTokens: assumptions.outputTokensPerTurn },
        agent.prices ?? os.prices[agent.model],
      );
      const turns = thinks / agentIds.size;
      lines.push(
        line(
          `Bedrock ${agent.model} (${agent.id})`,
          turns,
          `turn of ${assumptions.inputTokensPerTurn}+${assumptions.outputTokensPerTurn} tokens`,
          perTurn.costUsd,
        ),
      );
      // The budget caps input + output tokens; priced as if all were output, the dearer kind.
      bedrockCeilingUsd += costOf(agent.model, { inputTokens: 0, outputTokens: agent.tokenBudget }, agent.prices ?? os.prices[agent.model]).costUsd;
    }
    return { workflowId: workflow.id, lines, awsUsd, totalUsd: lines.reduce((s, l) => s + l.usd, 0), bedrockCeilingUsd };
  };
  return { workflowIds: model.workflows.map((w) => w.id), cost };
}

function agentIdsOf(step: ValidOs['workflows'][number]['steps'][number]): string[] {
  if (step.kind === 'agent') return [step.agent];
  if (step.kind === 'parallel') return step.branches.flat().flatMap(agentIdsOf);
  if (step.kind === 'map') return step.steps.flatMap(agentIdsOf);
  return [];
}

/** Markdown tables, one per workflow, with the prices and assumptions used. */
export function renderCostTables(costs: readonly WorkflowCost[], prices: UnitPrices, assumptions: CostAssumptions): string {
  const usd = (n: number) => (n === 0 ? '$0' : n < 0.0001 ? `$${n.toExponential(2)}` : `$${n.toFixed(n < 0.01 ? 6 : 4)}`);
  const out: string[] = [];
  for (const c of costs) {
    out.push(`### ${c.workflowId}`, '', '| item | quantity | unit price | cost |', '|---|---:|---:|---:|');
    for (const l of c.lines) out.push(`| ${l.item} | ${l.quantity} | ${usd(l.unitPrice)} / ${l.unit} | ${usd(l.usd)} |`);
    out.push(`| **one run** | | | **${usd(c.totalUsd)}** |`, '');
    if (c.bedrockCeilingUsd > 0) out.push(`Bedrock at most ${usd(c.bedrockCeilingUsd)} per run (the agents' token budgets).`, '');
  }
  out.push(
    `Typical path: ${assumptions.agentTurns} think steps per agent, ${assumptions.toolCallsPerTurn} tool call per acting turn, every call allowed and every approval granted; ` +
      `${assumptions.inputTokensPerTurn} input + ${assumptions.outputTokensPerTurn} output tokens per think step.`,
    `Unit prices (us-east-1, USD): ${Object.entries(prices)
      .map(([k, v]) => `${k} ${Number(v.toPrecision(6))}`)
      .join(', ')}. Free tiers are not deducted.`,
  );
  return `${out.join('\n')}\n`;
}
