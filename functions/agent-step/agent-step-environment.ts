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
import type { AuditWriter } from '../../shared/audit';
import { bedrockRuntimeClient } from '../../shared/aws/bedrock-runtime';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { auditWriter, stateTable, tableNameOf } from '../../shared/composition/tables';
import { beforeTurnReads, type BeforeTurnReads } from '../../shared/agents/before-turn';
import { dynamoDbClient } from '../../shared/aws/dynamodb';
import { dynamoDbItemsReader } from '../../shared/storage/items-reader';
import { agentSuspensions, ControlStore, type AgentSuspensions } from '../../shared/console/controls';
import { toExcerpt, type KnowledgeReader } from '../../shared/knowledge/reader';
import type { Table } from '../../shared/storage/table';
import { s3Client } from '../../shared/aws/s3-client';
import { resolvePayloadRefs } from '../../shared/webhooks/payload-store';
import { S3DeliveryReader } from './s3-delivery-reader';
import type { ToolForModel } from '../../shared/agents/tool-config';

/** What the agent step reads of the definition: the agents (each with its price settled), the tools as the model sees them. */
export interface AgentStepDefinition {
  agents: readonly StepAgent[];
  tools: readonly ToolForModel[];
}

export interface AgentStepEnvironment {
  os: AgentStepDefinition;
  state: Table;
  converse(request: ConverseRequest): Promise<ConverseResponse>;
  knowledge?: KnowledgeSearch;
  onModelCall?: (call: ModelCallRecord & { runId: string; workflowId: string }) => Promise<void>;
  /** Agents suspended in the console: a suspended agent's model is not called. */
  suspensions?: AgentSuspensions;
  /** The suspension and the run's token totals read together (instead of `suspensions` and a read of the totals). */
  beforeTurn?: BeforeTurnReads;
  /** Reads webhook deliveries too big for an event (`detail.aiosPayload`) into the agent's input. */
  resolveInput?: (input: unknown) => Promise<unknown>;
}

/** Converse through the environment's Bedrock Runtime client (the local endpoint on one machine). */
export function converseWithBedrock(env: AiosEnvironment): AgentStepEnvironment['converse'] {
  return async (request) => {
    const { $metadata: _m, ...out } = await bedrockRuntimeClient({}, env.vars).send(new ConverseCommand(request as ConverseCommandInput));
    return out as unknown as ConverseResponse;
  };
}

/** Writes a `model.called` audit record for every model call. */
export function auditModelCalls(audit: AuditWriter): NonNullable<AgentStepEnvironment['onModelCall']> {
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

/** The knowledge base the step searches, made by the composition root (shared/composition/knowledge-reader.ts). */
export type KnowledgeReaderFactory = (env: AiosEnvironment) => Pick<KnowledgeReader, 'search'>;

/**
 * The agent-step function's adapters, from the composition root. Built per
 * call (a few objects): the definition, tables and clients are cached by
 * their own factories for the environment they were made from. The
 * knowledge base comes from `knowledgeReader`: it only searches, and a
 * deployment built without embeddings passes the one with no embeddings provider.
 */
export function agentStepEnvironment(env: AiosEnvironment, definition: AgentStepDefinition, knowledgeReader: KnowledgeReaderFactory): AgentStepEnvironment {
  const knowledge = knowledgeReader(env);
  return {
    os: definition,
    state: stateTable(env),
    converse: converseWithBedrock(env),
    knowledge: async (request) => (await knowledge.search(request)).map(toExcerpt),
    onModelCall: auditModelCalls(auditWriter(env)),
    suspensions: agentSuspensions(new ControlStore(stateTable(env))),
    beforeTurn: beforeTurnReads(dynamoDbItemsReader(dynamoDbClient({}, env.vars), tableNameOf(env, 'state'))),
    ...storedDeliveries(env),
  };
}

/** The payload bucket's reader, when the deployment has one (AIOS_PAYLOAD_BUCKET). */
function storedDeliveries(env: AiosEnvironment): Pick<AgentStepEnvironment, 'resolveInput'> {
  const bucket = env.payloadBucket;
  if (!bucket) return {};
  const reader = new S3DeliveryReader(s3Client({}, env.vars), bucket);
  return { resolveInput: (input) => resolvePayloadRefs(input, reader, bucket) };
}
