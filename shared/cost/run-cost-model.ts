/**
 * Costing a run from data: each workflow's compiled ASL and agent count and
 * the functions' typical figures (`RunCostModel`, made from the definition by
 * run-cost.ts). Apart from run-cost.ts so that the console, which carries the
 * model as data written at synth, does not carry the planner and compiler.
 */
import type { FunctionSpec } from '../deployment/function-specs';
import { walkTypicalPath, type PathAssumptions, type PathCount, type WalkedMachine } from './asl-walk';

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

/** What a run did, as far as its cost goes: think steps and rights checks (one per tool call), over all its agents. */
export interface RunShape {
  thinks: number;
  toolCalls: number;
}

export interface RunCostModel {
  /** Each workflow's ASL as deployed (placeholders for the functions): the parts the typical path walks; and how many agents it runs. */
  workflows: { id: string; asl: WalkedMachine; agents: number }[];
  /** By placeholder (`FnAgentStep`, …): what one invocation takes. */
  functions: Record<string, Pick<FunctionSpec, 'memoryMb' | 'typicalMs' | 'typicalDynamoDb'>>;
}

function round(n: number, digits: number): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

/** The AWS infrastructure lines of one run along `path` (Step Functions, Lambda, DynamoDB, EventBridge): no Bedrock. */
export function awsLines(model: RunCostModel, path: PathCount, prices: UnitPrices): CostLine[] {
  let invocations = 0;
  let gbSeconds = 0;
  let reads = 0;
  let writes = 0;
  for (const [placeholder, n] of Object.entries(path.invocations)) {
    const spec = Object.hasOwn(model.functions, placeholder) ? model.functions[placeholder] : undefined;
    if (!spec) continue;
    invocations += n;
    gbSeconds += (n * spec.memoryMb * spec.typicalMs) / 1024 / 1000;
    reads += n * spec.typicalDynamoDb.reads;
    writes += n * spec.typicalDynamoDb.writes;
  }
  // The triggering event, plus each announcement/emit step's event.
  const busEvents = 1 + (path.invocations.FnEmitEvent ?? 0);
  const line = (item: string, quantity: number, unit: string, unitPrice: number): CostLine => ({ item, quantity, unit, unitPrice, usd: quantity * unitPrice });
  return [
    line('Step Functions state transitions', path.transitions, 'transition', prices.stateTransition),
    line('Lambda requests', invocations, 'request', prices.lambdaRequest),
    line('Lambda compute (arm64)', round(gbSeconds, 3), 'GB-second', prices.lambdaGbSecond),
    line('DynamoDB reads', reads, 'read request unit', prices.dynamoDbRead),
    line('DynamoDB writes', writes, 'write request unit', prices.dynamoDbWrite),
    line('EventBridge events', busEvents, 'event', prices.eventBridgeEvent),
  ];
}

/**
 * The AWS part of one run's cost at the think steps and tool calls it
 * actually took, spread evenly over the workflow's agents, with the run's
 * path at those turns and calls from `pathAt`; 0 for a workflow not among
 * `workflows`. Memoised per shape.
 */
export function awsCostOfRunShape<W extends { id: string; agents: number }>(
  workflows: readonly W[],
  functions: RunCostModel['functions'],
  pathAt: (workflow: W, agentTurns: number, toolCallsPerTurn: number) => PathCount,
  prices: UnitPrices,
): (workflowId: string, shape: RunShape) => number {
  const memo = new Map<string, number>();
  const model = { workflows: [], functions };
  return (workflowId, shape) => {
    const workflow = workflows.find((w) => w.id === workflowId);
    if (!workflow) return 0;
    const agentTurns = Math.max(1, Math.round(shape.thinks / workflow.agents));
    const actingTurns = workflow.agents * (agentTurns - 1);
    const toolCallsPerTurn = actingTurns > 0 ? Math.round(shape.toolCalls / actingTurns) : 0;
    const key = `${workflowId}\u0000${agentTurns}\u0000${toolCallsPerTurn}`;
    let usd = memo.get(key);
    if (usd === undefined) {
      usd = awsLines(model, pathAt(workflow, agentTurns, toolCallsPerTurn), prices).reduce((s, l) => s + l.usd, 0);
      memo.set(key, usd);
    }
    return usd;
  };
}

/** `awsCostOfRunShape` along each workflow's typical path, walked from its ASL. */
export function awsCostOfModeledRun(model: RunCostModel, prices: UnitPrices = { ...US_EAST_1_PRICES }): (workflowId: string, shape: RunShape) => number {
  return awsCostOfRunShape(
    model.workflows,
    model.functions,
    (workflow, agentTurns, toolCallsPerTurn) => walkTypicalPath(workflow.asl, { ...DEFAULT_ASSUMPTIONS, agentTurns, toolCallsPerTurn }),
    prices,
  );
}
