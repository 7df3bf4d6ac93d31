/**
 * What one run of a workflow costs on AWS, from its compiled ASL (see
 * asl-walk.ts for the path) and the functions' specs: Step Functions
 * transitions, Lambda requests and GB-seconds, DynamoDB requests,
 * EventBridge events and Bedrock tokens.
 */
import type { ValidOs } from '../definition';
import { costOf } from '../agents/prices';
import type { FunctionSpec } from '../deployment/function-specs';
import { planDeployment } from '../deployment/deployment-plan';
import { walkTypicalPath, type PathAssumptions } from './asl-walk';

/**
 * us-east-1 list prices (USD) as published on the services' pricing pages in
 * 2025. Override any of them (`aios cost --price lambdaGbSecond=0.00001`).
 */
export const US_EAST_1_PRICES = {
  /** Step Functions Standard, per state transition (beyond the free tier). */
  stateTransition: 0.000025,
  /** Lambda, per request. */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda on arm64, per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** DynamoDB on demand, per read request unit (items ≤ 4 KB). */
  dynamoDbRead: 0.125 / 1e6,
  /** DynamoDB on demand, per write request unit (items ≤ 1 KB). */
  dynamoDbWrite: 0.625 / 1e6,
  /** EventBridge, per custom event put on a bus. */
  eventBridgeEvent: 1 / 1e6,
} as const;

export type UnitPrices = { -readonly [K in keyof typeof US_EAST_1_PRICES]: number };

export interface CostAssumptions extends PathAssumptions {
  /** Tokens of one think step on the typical path (the conversation grows; this is an average). */
  inputTokensPerTurn: number;
  outputTokensPerTurn: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = { agentTurns: 3, toolCallsPerTurn: 1, mapItems: 3, inputTokensPerTurn: 3000, outputTokensPerTurn: 400 };

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  usd: number;
}

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

/** What a run did, as far as its cost goes: think steps and rights checks (one per tool call), over all its agents. */
export interface RunShape {
  thinks: number;
  toolCalls: number;
}

/**
 * The AWS part of one run's cost (no Bedrock: that is priced from the
 * tokens recorded), at the think steps and tool calls it actually took,
 * spread evenly over the workflow's agents. Plans once; memoised per shape.
 *
 * @example awsCostOfRun(os)('support-desk', { thinks: 4, toolCalls: 3 })
 */
export function awsCostOfRun(os: ValidOs, prices: UnitPrices = { ...US_EAST_1_PRICES }): (workflowId: string, shape: RunShape) => number {
  let cost: ReturnType<typeof workflowCoster> | undefined;
  const memo = new Map<string, number>();
  return (workflowId, shape) => {
    const workflow = os.workflows.find((w) => w.id === workflowId);
    if (!workflow) return 0;
    const agents = Math.max(1, new Set(workflow.steps.flatMap(agentIdsOf)).size);
    const agentTurns = Math.max(1, Math.round(shape.thinks / agents));
    const actingTurns = agents * (agentTurns - 1);
    const toolCallsPerTurn = actingTurns > 0 ? Math.round(shape.toolCalls / actingTurns) : 0;
    const key = `${workflowId}\u0000${agentTurns}\u0000${toolCallsPerTurn}`;
    let usd = memo.get(key);
    if (usd === undefined) {
      cost ??= workflowCoster(os, prices);
      usd = cost.cost(workflowId, { ...DEFAULT_ASSUMPTIONS, agentTurns, toolCallsPerTurn }).awsUsd;
      memo.set(key, usd);
    }
    return usd;
  };
}

/** Plans the deployment once; then costs one run of a workflow under given assumptions. */
function workflowCoster(os: ValidOs, prices: UnitPrices): { workflowIds: string[]; cost: (workflowId: string, assumptions: CostAssumptions) => WorkflowCost } {
  const plan = planDeployment(os);
  const specs = new Map<string, FunctionSpec>(plan.functions.filter((f) => f.placeholder).map((f) => [f.placeholder!, f]));
  const cost = (workflowId: string, assumptions: CostAssumptions): WorkflowCost => {
    const workflow = plan.workflows.find((w) => w.id === workflowId);
    if (!workflow) throw new Error(`no workflow "${workflowId}" in the deployment plan`);
    const path = walkTypicalPath(workflow.asl, assumptions);
    let invocations = 0;
    let gbSeconds = 0;
    let reads = 0;
    let writes = 0;
    for (const [placeholder, n] of Object.entries(path.invocations)) {
      const spec = specs.get(placeholder);
      if (!spec) continue;
      invocations += n;
      gbSeconds += (n * spec.memoryMb * spec.typicalMs) / 1024 / 1000;
      reads += n * spec.typicalDynamoDb.reads;
      writes += n * spec.typicalDynamoDb.writes;
    }
    // The triggering event, plus each announcement/emit step's event.
    const busEvents = 1 + (path.invocations.FnEmitEvent ?? 0);
    const line = (item: string, quantity: number, unit: string, unitPrice: number): CostLine => ({
      item,
      quantity,
      unit,
      unitPrice,
      usd: quantity * unitPrice,
    });
    const lines = [
      line('Step Functions state transitions', path.transitions, 'transition', prices.stateTransition),
      line('Lambda requests', invocations, 'request', prices.lambdaRequest),
      line('Lambda compute (arm64)', round(gbSeconds, 3), 'GB-second', prices.lambdaGbSecond),
      line('DynamoDB reads', reads, 'read request unit', prices.dynamoDbRead),
      line('DynamoDB writes', writes, 'write request unit', prices.dynamoDbWrite),
      line('EventBridge events', busEvents, 'event', prices.eventBridgeEvent),
    ];
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
  return { workflowIds: plan.workflows.map((w) => w.id), cost };
}

function agentIdsOf(step: ValidOs['workflows'][number]['steps'][number]): string[] {
  if (step.kind === 'agent') return [step.agent];
  if (step.kind === 'parallel') return step.branches.flat().flatMap(agentIdsOf);
  if (step.kind === 'map') return step.steps.flatMap(agentIdsOf);
  return [];
}

function round(n: number, digits: number): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
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
