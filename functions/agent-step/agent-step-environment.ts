/**
 * What the agent-step handler runs against: the business definition, the
 * `state` table, the model, knowledge search and the audit trail. Built once
 * per process from the environment; tests pass their own.
 */
import { ConverseCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import type { ConverseRequest, ConverseResponse } from '../../shared/agents/converse-shapes';
import type { KnowledgeSearch } from '../../shared/agents/knowledge-port';
import type { ModelCallRecord } from '../../shared/agents/usage-ledger';
import { AuditLog } from '../../shared/audit';
import { bedrockRuntimeClient } from '../../shared/aws/bedrock-runtime';
import { agentSuspensions, ControlStore, type AgentSuspensions } from '../../shared/console/controls';
import type { ValidOs } from '../../shared/definition';
import { searchKnowledge, toExcerpt } from '../../shared/knowledge';
import type { Table } from '../../shared/storage/table';
import { openTable } from '../../shared/tables';
import { s3Client } from '../../shared/aws/s3-client';
import { resolvePayloadRefs } from '../../shared/webhooks/payload-store';
import { S3PayloadStore } from '../../shared/webhooks/s3-payload-store';
import { currentOs } from '../current-os';

export interface AgentStepEnvironment {
  os: ValidOs;
  state: Table;
  converse(request: ConverseRequest): Promise<ConverseResponse>;
  knowledge?: KnowledgeSearch;
  onModelCall?: (call: ModelCallRecord & { runId: string; workflowId: string }) => Promise<void>;
  /** Agents suspended in the console: a suspended agent's model is not called. */
  suspensions?: AgentSuspensions;
  /** Reads webhook deliveries too big for an event (`detail.aiosPayload`) into the agent's input. */
  resolveInput?: (input: unknown) => Promise<unknown>;
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
export function defaultAgentStepEnvironment(): AgentStepEnvironment {
  return {
    os: currentOs(),
    state: openTable('state'),
    converse: converseWithBedrock,
    knowledge: async (request) => (await searchKnowledge(request)).map(toExcerpt),
    onModelCall: auditModelCalls(new AuditLog(openTable('audit'))),
    suspensions: agentSuspensions(new ControlStore(openTable('state'))),
    ...storedDeliveries(process.env.AIOS_PAYLOAD_BUCKET),
  };
}

/** The payload bucket's reader, when the deployment has one (AIOS_PAYLOAD_BUCKET). */
function storedDeliveries(bucket: string | undefined): Pick<AgentStepEnvironment, 'resolveInput'> {
  if (!bucket) return {};
  const reader = new S3PayloadStore(s3Client(), bucket);
  return { resolveInput: (input) => resolvePayloadRefs(input, reader, bucket) };
}
