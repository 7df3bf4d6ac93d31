/**
 * Typed errors of the agent loop. The codes surface as the Lambda error of
 * `agent-step`, so the compiled state machine can Catch them by name.
 */
import { AiosError } from '../errors';

/** The agent named by the step is not in the definition. */
export class UnknownAgentError extends AiosError {
  constructor(agentId: string, known: string[]) {
    super('Agent.Unknown', `no agent named "${agentId}" (known: ${known.join(', ') || 'none'})`, { agentId, known });
  }
}

/** The agent lists a tool the definition does not have. */
export class UnknownToolError extends AiosError {
  constructor(agentId: string, toolId: string) {
    super('Agent.UnknownTool', `agent "${agentId}" lists tool "${toolId}", which is not defined`, { agentId, toolId });
  }
}

/** The run has used the agent's token budget. */
export class TokenBudgetExceededError extends AiosError {
  constructor(agentId: string, used: number, budget: number) {
    super('Agent.TokenBudgetExceeded', `agent "${agentId}" used ${used} of its ${budget} token budget for this run; raise tokenBudget or simplify the task`, {
      agentId,
      used,
      budget,
    });
  }
}

/** The step was asked for a turn beyond the agent's maxTurns (the code the compiled loop's Fail state uses too). */
export class MaxTurnsExceededError extends AiosError {
  constructor(agentId: string, turn: number, maxTurns: number) {
    super('Agent.MaxTurnsReached', `agent "${agentId}" reached its limit of ${maxTurns} turns without a final answer (turn ${turn})`, {
      agentId,
      turn,
      maxTurns,
    });
  }
}

/** The step was given an agent with an output schema but not its JSON Schema (a wiring error: see json-schema.ts). */
export class OutputSchemaMissingError extends AiosError {
  constructor(agentId: string) {
    super('Agent.OutputSchemaMissing', `agent "${agentId}" has an output schema but no outputSchema (its JSON Schema) to state in the prompt`, { agentId });
  }
}

/** The final answer did not match the output schema, even after one corrective re-ask. */
export class InvalidOutputError extends AiosError {
  constructor(agentId: string, problems: string, text: string) {
    super('Agent.InvalidOutput', `agent "${agentId}" gave a final answer that does not match its output schema after one corrective re-ask: ${problems}`, {
      agentId,
      problems,
      text: text.slice(0, 2000),
    });
  }
}

/** The model stopped at maxTokens, even after being asked to answer briefly. */
export class MaxTokensError extends AiosError {
  constructor(agentId: string, maxTokens: number) {
    super('Agent.MaxTokens', `agent "${agentId}" hit its maxTokens (${maxTokens}) before finishing, even after a re-ask; raise maxTokens`, {
      agentId,
      maxTokens,
    });
  }
}

/** A Bedrock guardrail blocked the input or the output. */
export class GuardrailIntervenedError extends AiosError {
  constructor(agentId: string, message: string) {
    super('Agent.GuardrailIntervened', `a guardrail stopped agent "${agentId}": ${message}`, { agentId, message });
  }
}

/** The model's content filter blocked the answer. */
export class ContentFilteredError extends AiosError {
  constructor(agentId: string) {
    super('Agent.ContentFiltered', `the model's content filter blocked the answer of agent "${agentId}"`, { agentId });
  }
}

/** A stop reason the loop cannot continue from (context window exceeded, malformed output twice …). */
export class ModelStoppedError extends AiosError {
  constructor(agentId: string, stopReason: string) {
    super('Agent.ModelStopped', `the model stopped agent "${agentId}" with stop reason "${stopReason}"`, { agentId, stopReason });
  }
}

/** The step's input does not match the agent-step contract. */
export class InvalidStepInputError extends AiosError {
  constructor(problems: string) {
    super('Agent.InvalidStepInput', `agent-step input is invalid: ${problems}`, { problems });
  }
}

/** Two tool ids map to the same Bedrock tool name. */
export class ToolNameCollisionError extends AiosError {
  constructor(name: string, a: string, b: string) {
    super('Agent.ToolNameCollision', `tools "${a}" and "${b}" both map to the Bedrock tool name "${name}"`, { name, a, b });
  }
}

/** Bedrock (or the local endpoint) throttled the call: worth a Retry with backoff. */
export class ModelThrottledError extends AiosError {
  constructor(agentId: string, message: string, cause?: unknown) {
    super('Agent.ModelThrottled', `the model call of agent "${agentId}" was throttled: ${message}`, { agentId }, { cause });
  }
}

/** The model service failed or could not be reached: worth a Retry. */
export class ModelUnavailableError extends AiosError {
  constructor(agentId: string, type: string, message: string, cause?: unknown) {
    super('Agent.ModelUnavailable', `the model of agent "${agentId}" is unavailable (${type}): ${message}`, { agentId, type }, { cause });
  }
}

/** Bedrock refused the request (validation, access, unknown model, no recording …): retrying will not help. */
export class ModelRequestError extends AiosError {
  constructor(agentId: string, type: string, message: string, cause?: unknown) {
    super('Agent.ModelRequestFailed', `the model refused the request of agent "${agentId}" (${type}): ${message}`, { agentId, type }, { cause });
  }
}

const THROTTLED = new Set(['ThrottlingException', 'ServiceQuotaExceededException', 'TooManyRequestsException']);
const UNAVAILABLE = new Set([
  'ServiceUnavailableException',
  'ModelNotReadyException',
  'ModelTimeoutException',
  'InternalServerException',
  'ModelErrorException',
  'TimeoutError',
]);
// Refusals no retry can change, whether they came over HTTP or from a provider in process (a missing recording).
const REFUSED = new Set(['ResourceNotFoundException', 'ValidationException', 'AccessDeniedException']);

/**
 * The typed error for a failed model call, so Step Functions can retry the
 * transient ones by code. Errors of our own pass through.
 */
export function modelCallError(agentId: string, error: unknown): Error {
  if (error instanceof AiosError) return error;
  const e = error as { name?: string; message?: string; code?: string; $metadata?: unknown };
  const type = e?.name ?? 'Error';
  const message = e?.message ?? String(error);
  if (THROTTLED.has(type)) return new ModelThrottledError(agentId, message, error);
  if (UNAVAILABLE.has(type) || (!e?.$metadata && !REFUSED.has(type))) return new ModelUnavailableError(agentId, type, message, error);
  return new ModelRequestError(agentId, type, message, error);
}

/** The agent was suspended in the console: the run stops before the model is called again. */
export class AgentSuspendedError extends AiosError {
  constructor(agentId: string, by: string, why: string | null) {
    super('Agent.Suspended', `agent "${agentId}" is suspended by ${by}${why ? `: ${why}` : ''}; resume it in the console to let it act again`, { agentId, by });
  }
}
