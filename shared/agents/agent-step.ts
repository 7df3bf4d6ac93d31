/**
 * One think step of an agent: the pure core of `functions/agent-step`.
 *
 * It appends the task (turn 1) or the previous turn's tool results to the
 * conversation stored in DynamoDB, calls the model once (twice with the
 * corrective re-ask), records tokens and cost, and returns either tool calls
 * for the state machine to gate and run, or the final output validated
 * against the agent's output schema. Every dependency is injected.
 */
import type * as core from 'zod/v4/core';
import { ConversationStore, type StoredMessage } from './conversation-store';
import type { ConverseRequest, ConverseResponse, Message } from './converse-shapes';
import {
  InvalidOutputError,
  InvalidStepInputError,
  MaxTokensError,
  MaxTurnsExceededError,
  ModelStoppedError,
  OutputSchemaMissingError,
  modelCallError,
  TokenBudgetExceededError,
} from './errors';
import { readFinalOutput } from './final-output';
import type { KnowledgeExcerpt, KnowledgeSearch } from './knowledge-port';
import { costAt, type ModelPrice } from './prices';
import { correctiveMessage, knowledgeQuery, systemPrompt, taskMessageText } from './prompt';
import { agentStepInputSchema, type AgentStepInput, type AgentStepOutput, type StepUsage } from './step-contract';
import { interpret } from './stop-reason';
import { toolConfigFor, type ToolForModel } from './tool-config';
import { toolNameMap } from './tool-names';
import { toolResultsMessage } from './tool-results';
import { UsageLedger, type ModelCallRecord, type UsageTotals } from './usage-ledger';

/** The agent as the step needs it (the definition's `Agent`, defaults applied). */
export interface StepAgent {
  id: string;
  model: string;
  instructions: string;
  tools: readonly string[];
  knowledge: readonly string[];
  /** Validates the final answer. */
  output?: core.$ZodType;
  /** `output` as JSON Schema, what the prompt states (made before the step: json-schema.ts `agentForModel`, or at synth). */
  outputSchema?: Record<string, unknown>;
  maxTurns: number;
  tokenBudget: number;
  maxTokens: number;
  temperature?: number;
  guardrail?: { id: string; version: string };
  /** What its model costs, settled before the step (prices.ts `agentPrice`); null: not priced (cost 0, `priced: false`). */
  price: ModelPrice | null;
}

export interface AgentStepDeps {
  agent: StepAgent;
  /** The agent's tools, resolved from the definition. */
  tools: readonly ToolForModel[];
  converse(request: ConverseRequest): Promise<ConverseResponse>;
  conversations: ConversationStore;
  usage: UsageLedger;
  /**
   * What the caller read already for this run and agent (before-turn.ts: with the suspension, one request): the totals,
   * and on the conversation's first turn whether it is empty (then it is not queried). Used only when it names the input's
   * run, agent and step.
   */
  before?: { runId: string; agentId: string; stepId?: string; totals: UsageTotals; conversationEmpty?: boolean };
  knowledge?: KnowledgeSearch;
  /** Excerpts retrieved for the task (default 5). */
  knowledgeLimit?: number;
  now?: () => Date;
  /** Called after every model call (the audit trail hooks in here). */
  onModelCall?: (call: ModelCallRecord & { runId: string; workflowId: string }) => Promise<void>;
  /** Replaces references in the step's input with what they name (a webhook delivery too big for an event). */
  resolveInput?: (input: unknown) => Promise<unknown>;
}

/** Runs one turn of the agent. @throws the typed errors of ./errors */
export async function runAgentStep(rawInput: AgentStepInput, deps: AgentStepDeps): Promise<AgentStepOutput> {
  const parsed = agentStepInputSchema.safeParse(rawInput);
  if (!parsed.success) throw new InvalidStepInputError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  const input = parsed.data;
  const { agent } = deps;
  if (input.agentId !== agent.id) throw new InvalidStepInputError(`agentId "${input.agentId}" does not match the agent "${agent.id}"`);
  // Told a plain-text answer but held to a schema, the model could never pass: refuse before calling it.
  if (agent.output && !agent.outputSchema) throw new OutputSchemaMissingError(agent.id);
  // The state machine counts turns taken; this call is the next one.
  const turn = input.turn + 1;
  if (turn > agent.maxTurns) throw new MaxTurnsExceededError(agent.id, turn, agent.maxTurns);
  const ref = { runId: input.runId, agentId: agent.id, stepId: input.stepId };

  const names = toolNameMap(deps.tools.map((t) => t.id));
  const before = deps.before?.runId === input.runId && deps.before.agentId === agent.id ? deps.before : undefined;
  const totals = before?.totals ?? (await deps.usage.totals(input.runId, agent.id));
  assertBudget(agent, totals.inputTokens + totals.outputTokens);

  const empty = turn === 1 && before?.stepId === input.stepId && before.conversationEmpty === true;
  const loaded = empty ? [] : await deps.conversations.load(ref);
  const history = await deps.conversations.discardFromTurn(ref, turn, loaded);
  let knowledge: KnowledgeExcerpt[];
  let opening: Message;
  if (history.length === 0) {
    // Read once, on the first turn: the opening message then holds the whole input for every later turn.
    const taskInput = deps.resolveInput ? await deps.resolveInput(input.input) : input.input;
    knowledge = await retrieve(deps, input.task, taskInput);
    opening = { role: 'user', content: [{ text: taskMessageText(input.task, taskInput) }] };
  } else {
    // Kept with the first message (stored with it below); conversations stored before that keep it in an item of its own.
    knowledge = history[0]?.knowledge ?? (await deps.conversations.loadContext(ref))?.knowledge ?? [];
    const last = history[history.length - 1];
    if (last.message.role !== 'assistant') throw new InvalidStepInputError(`turn ${turn}: the stored conversation does not end with the model's answer`);
    opening = toolResultsMessage(last.message, input.outcomes, last.refused);
  }

  const messages: StoredMessage[] = [...history];
  // The turn's messages are stored together when it ends, one write (conversation-store.ts `appendTurn`).
  const written: StoredMessage[] = [];
  const append = (message: Message, refused?: StoredMessage['refused']): void => {
    const seq = (messages[messages.length - 1]?.seq ?? 0) + 1;
    const entry: StoredMessage = { seq, turn, message, ...(refused ? { refused } : {}), ...(seq === 1 ? { knowledge } : {}) };
    messages.push(entry);
    written.push(entry);
  };
  append(opening);
  let stored = false;
  const store = async (): Promise<void> => {
    stored = true;
    await deps.conversations.appendTurn(ref, written);
  };
  try {
    return await think(input, deps, { turn, names, messages, knowledge, totals, append, store });
  } catch (error) {
    // A turn that failed keeps what it said (the console shows it), as when each message was written at once; a retry discards it.
    if (!stored) await store().catch(() => undefined);
    throw error;
  }
}

interface Turn {
  turn: number;
  names: ReturnType<typeof toolNameMap>;
  /** The conversation so far, this turn's messages included. */
  messages: StoredMessage[];
  knowledge: KnowledgeExcerpt[];
  totals: UsageTotals;
  append(message: Message, refused?: StoredMessage['refused']): void;
  /** Writes this turn's messages (once, before it returns). */
  store(): Promise<void>;
}

/** The turn's model call (and the corrective re-ask): what it answered, its messages stored. */
async function think(input: AgentStepInput, deps: AgentStepDeps, { turn, names, messages, knowledge, append, store, ...t }: Turn): Promise<AgentStepOutput> {
  const { agent } = deps;
  const now = deps.now ?? (() => new Date());
  let totals = t.totals;
  const system = systemPrompt(agent, { workflowId: input.workflowId, stepId: input.stepId, knowledge });
  const toolConfig = toolConfigFor(deps.tools);
  const stepUsage: StepUsage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

  for (let attempt = 0; attempt < 2; attempt++) {
    const used = totals.inputTokens + totals.outputTokens;
    assertBudget(agent, used);
    const request: ConverseRequest = {
      modelId: agent.model,
      system: [{ text: system }],
      messages: messages.map((m) => m.message),
      inferenceConfig: {
        // Never let one answer overrun the run's budget.
        maxTokens: Math.max(1, Math.min(agent.maxTokens, agent.tokenBudget - used)),
        ...(agent.temperature !== undefined ? { temperature: agent.temperature } : {}),
      },
      ...(toolConfig ? { toolConfig } : {}),
      ...(agent.guardrail
        ? { guardrailConfig: { guardrailIdentifier: agent.guardrail.id, guardrailVersion: agent.guardrail.version, trace: 'enabled' as const } }
        : {}),
      requestMetadata: { aiosAgent: agent.id, aiosWorkflow: input.workflowId, aiosRun: input.runId },
    };
    const response = await deps.converse(request).catch((error: unknown) => {
      throw modelCallError(agent.id, error);
    });

    const cost = costAt(agent.price, response.usage);
    const record: ModelCallRecord = {
      agentId: agent.id,
      turn,
      attempt,
      modelId: agent.model,
      stopReason: response.stopReason,
      inputTokens: response.usage.inputTokens,
      outputTokens: response.usage.outputTokens,
      costUsd: cost.costUsd,
      priced: cost.priced,
      latencyMs: response.metrics?.latencyMs ?? 0,
      at: now().toISOString(),
    };
    totals = await deps.usage.record(input.runId, record);
    await deps.onModelCall?.({ ...record, runId: input.runId, workflowId: input.workflowId });
    stepUsage.inputTokens += record.inputTokens;
    stepUsage.outputTokens += record.outputTokens;
    stepUsage.costUsd = Math.round((stepUsage.costUsd + record.costUsd) * 1e8) / 1e8;

    const meaning = interpret(agent.id, response, names);
    const lastAttempt = attempt === 1;
    switch (meaning.kind) {
      case 'fail':
        throw meaning.error;
      case 'tool_use':
        append(storable(response.output.message), meaning.refused);
        await store();
        return { status: 'tool_use', turn, toolCalls: meaning.calls, output: null, usage: stepUsage };
      case 'reask':
        if (lastAttempt)
          throw response.stopReason === 'max_tokens' ? new MaxTokensError(agent.id, agent.maxTokens) : new ModelStoppedError(agent.id, response.stopReason);
        append(meaning.keep);
        append({ role: 'user', content: [{ text: meaning.ask }] });
        break;
      case 'final': {
        const final = readFinalOutput(meaning.text, agent.output);
        append(storable(response.output.message));
        if (final.ok) {
          await store();
          return { status: 'done', turn, toolCalls: [], output: final.output, usage: stepUsage };
        }
        if (lastAttempt) throw new InvalidOutputError(agent.id, final.problems, meaning.text);
        append({ role: 'user', content: [{ text: correctiveMessage(final.problems, agent.outputSchema) }] });
        break;
      }
    }
  }
  // The loop returns or throws on its second attempt.
  throw new ModelStoppedError(agent.id, 'no answer');
}

/** Bedrock rejects blank text blocks and empty messages in a later request: store neither. */
function storable(message: Message): Message {
  const content = message.content.filter((b) => !('text' in b && typeof b.text === 'string' && b.text.trim() === ''));
  return { role: 'assistant', content: content.length > 0 ? content : [{ text: '(no answer)' }] };
}

function assertBudget(agent: StepAgent, used: number): void {
  if (used >= agent.tokenBudget) throw new TokenBudgetExceededError(agent.id, used, agent.tokenBudget);
}

async function retrieve(deps: AgentStepDeps, task: string | undefined, data: unknown): Promise<KnowledgeExcerpt[]> {
  if (!deps.knowledge || deps.agent.knowledge.length === 0) return [];
  const query = knowledgeQuery(task, data);
  if (!query.trim()) return [];
  return deps.knowledge({ query, namespaces: [...deps.agent.knowledge], limit: deps.knowledgeLimit ?? 5 });
}
