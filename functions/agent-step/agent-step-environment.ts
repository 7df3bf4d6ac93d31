/**
 * What the agent-step handler runs against: the business definition, the
 * `state` table, the model, knowledge search and the audit trail. Built once
 * per process from the environment; tests pass their own.
 */
import { ConverseCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import type { StepAgent } from '../../shared/agents/agent-step';
import type { ConverseRequest, ConverseResponse } from '../../shared/agents/converse-shapes';
import type { KnowledgeSearch } from '../../shared/agents/knowledge-port';
import type { ModelCallRecord } from '../../shared/agents/usage-ledger';
import { AuditLog } from '../../shared/audit';
import { bedrockRuntimeClient } from '../../shared/aws/bedrock-runtime';
import { agentSuspensions, ControlStore, type AgentSuspensions } from '../../shared/console/controls';
import { searchKnowledge, toExcerpt } from '../../shared/knowledge';
import type { Table } from '../../shared/storage/table';
import { openTable } from '../../shared/tables';
import type { PriceOverride } from '../../shared/agents/prices';
import type { ToolForModel } from '../../shared/agents/tool-config';

/** What the agent step reads of the definition: the agents, the tools as the model sees them, the price overrides. */
export interface AgentStepDefinition {
  agents: readonly (Omit<StepAgent, 'prices'> & { prices?: PriceOverride })[];
  tools: readonly ToolForModel[];
  prices: Readonly<Record<string, PriceOverride>>;
}

export interface AgentStepEnvironment {
  os: AgentStepDefinition;
  state: Table;
  converse(request: ConverseRequest): Promise<ConverseResponse>;
  knowledge?: KnowledgeSearch;
  onModelCall?: (call: ModelCallRecord & { runId: string; workflowId: string }) => Promise<void>;
  /** Agents suspended in the console: a suspended agent's model is not called. */
  suspensions?: AgentSuspensions;
}

/** Converse through the process-wide Bedrock Runtime client (the local endpoint on one machine). */
export async function converseWithBedrock(request: ConverseRequest): Promise<ConverseResponse> {
  const { $metadata: _m, ...out } = await bedrockRuntimeClient().send(new ConverseCommand(request as ConverseCommandInput));
  return out as unknown as ConverseResponse;
}

/** Writes a `model.called` audit record for every model call. */
export function auditModelCalls(audit: AuditLog): NonNullable<AgentStepEnvironment['onModelCall']> {
  return async (call) => {
    await audit.append(call.runId, 'model.called', {
      agentId: call.agentId,
      model: call.modelId,
      turn: call.turn,
      attempt: call.attempt,
      workflowId: call.workflowId,
      stopReason: call.stopReason,
      inputTokens: call.inputTokens,
      outputTokens: call.outputTokens,
      costUsd: call.costUsd,
      priced: call.priced,
      latencyMs: call.latencyMs,
    });
  };
}

/**
 * The environment of a deployed (or locally hosted) agent-step function.
 * Built per call (a few objects): the definition, tables and clients are
 * cached by their own factories for the environment they were made from.
 */
export function defaultAgentStepEnvironment(definition: AgentStepDefinition): AgentStepEnvironment {
  return {
    os: definition,
    state: openTable('state'),
    converse: converseWithBedrock,
    knowledge: async (request) => (await searchKnowledge(request)).map(toExcerpt),
    onModelCall: auditModelCalls(new AuditLog(openTable('audit'))),
    suspensions: agentSuspensions(new ControlStore(openTable('state'))),
  };
}
