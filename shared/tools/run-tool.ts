/**
 * Runs one tool call that decision rights (and, where needed, people) have
 * allowed. The last line of defence before an action touches the world:
 *
 * - the call must name this function's tool, and its input must be the one
 *   the gate evaluated (digest re-checked);
 * - a call that needed approval must carry an approved approval whose digest
 *   binds exactly this input, so an approval is never reused for a changed call;
 * - each call acts at most once: an idempotency record (run id + tool-use id)
 *   is claimed with a conditional write before acting, so a retried Lambda or
 *   a replayed state returns the recorded outcome instead of acting again; a
 *   tool that is not idempotent and was interrupted is refused — unless it
 *   marks its effect (`marksEffect`) and the record shows it never got there,
 *   then the retry takes the call over (one attempt wins) and runs it;
 * - invalid input and handler errors become an `error` outcome the model
 *   reads, never a crashed run.
 *
 * The full result is stored in the `state` table; the state machine only
 * carries a bounded message.
 */
import { assertApprovalCovers } from '../approvals/approval-service';
import type { ApprovalReader } from '../approvals/approval-store';
import { AiosError } from '../errors';
import type { AuditWriter } from '../audit/audit-log';
import type { Agent } from '../definition/agent';
import type { Tool, ToolContext, ToolPorts } from '../definition/tool';
import type { AgentSuspensions } from '../console/controls';
import { inputDigest } from '../rights/input-digest';
import { ConditionFailedError, type Table } from '../storage/table';
import { toolRunInputSchema, type ToolRunOutput } from '../contracts/tool-run';
import { safeParse } from '../mini-zod';
import { getSecret, type SecretProvider } from '../secrets';

/** Characters of a result the state carries back to the agent (the rest is in DynamoDB). */
export const MESSAGE_LIMIT = 4000;

export type ToolOutcome = ToolRunOutput;

/** A newer attempt of the same call took it over before this one acted: this one must not act. */
export class ToolAttemptSupersededError extends AiosError {
  constructor(toolId: string, toolUseId: string) {
    super('Tool.AttemptSuperseded', `a newer attempt of the ${toolId} call ${toolUseId} took it over before this one acted`, { toolId, toolUseId });
  }
}

/** What the runner needs of an agent: the knowledge namespaces its tool calls may use. */
export type AgentKnowledge = Pick<Agent, 'id' | 'knowledge'>;

export interface RunToolDeps {
  tool: Tool;
  agents: readonly AgentKnowledge[];
  state: Table;
  approvals: ApprovalReader;
  audit: AuditWriter;
  env: NodeJS.ProcessEnv;
  /** What the tool acts through (shared/composition/tool-ports.ts on AWS and locally). */
  ports: ToolPorts;
  /** Agents suspended in the console: an approved call waiting to run is refused after all. */
  suspensions?: AgentSuspensions;
  /** Where the tool's declared secrets come from; default the process's provider (env, Secrets Manager, the data dir). */
  secrets?: SecretProvider;
}

export class UndeclaredSecretError extends AiosError {
  constructor(toolId: string, name: string, declared: readonly string[]) {
    super(
      'Tool.UndeclaredSecret',
      `${toolId} reads the secret "${name}" but does not declare it (its secrets: ${declared.length ? declared.join(', ') : 'none'}); add it to the tool's \`secrets\` so its function may read it on AWS`,
      { toolId, name },
    );
  }
}

/** `ctx.secret` of a tool: only the secrets it declared, as its function's role on AWS allows. */
function declaredSecrets(tool: Tool, provider: SecretProvider | undefined): (name: string) => Promise<string> {
  const declared = (tool.secrets ?? []).map((s) => s.name);
  return async (name) => {
    if (!declared.includes(name)) throw new UndeclaredSecretError(tool.id, name, declared);
    return provider ? provider.getSecret(name) : getSecret(name);
  };
}

const recordKey = (runId: string, toolUseId: string) => ({ pk: `run#${runId}`, sk: `tool#${toolUseId}` });

/** Characters of a result kept in the state table: a DynamoDB item holds at most 400 KB. */
export const STORED_RESULT_LIMIT = 350_000;

/** The text cut to `limit` characters, saying how long it was. */
const truncated = (text: string, limit: number) => `${text.slice(0, limit)}… [truncated; ${text.length} characters in all]`;

/** The result as stored: whole when it fits in an item, else its JSON cut to the limit. */
function storedResult(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  return text.length <= STORED_RESULT_LIMIT ? value : truncated(text, STORED_RESULT_LIMIT);
}

function bounded(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return text.length <= MESSAGE_LIMIT ? text : truncated(text, MESSAGE_LIMIT);
}

async function withTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the tool did not answer within ${seconds} s`)), seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the call; returns the outcome for the agent (never throws for the call's own failures). */
export async function runTool(deps: RunToolDeps, rawEvent: unknown): Promise<ToolOutcome> {
  const event = toolRunInputSchema.parse(rawEvent);
  const { tool, state, audit } = deps;
  const { runId, call } = event;
  const answer = (status: ToolOutcome['status'], message: string): ToolOutcome => ({ toolUseId: call.toolUseId, status, message });
  const refuse = async (why: string): Promise<ToolOutcome> => {
    await audit.append(runId, 'tool.refused', { tool: tool.id, toolUseId: call.toolUseId, why });
    return answer('error', `Not carried out: ${why}`);
  };

  if (call.name !== tool.id) return refuse(`this function runs "${tool.id}", not "${call.name}"`);
  const digest = inputDigest(call.input);
  const key = recordKey(runId, call.toolUseId);
  /**
   * `tool.ran`, once per call: the once key makes a retry that finds the call done write it only if the attempt
   * that ran it died before it did. Nothing marks the record audited after: that update cost every call a write
   * (and, on the audit table's stream side, nothing) to spare only retries the check `appendOnce` makes anyway.
   */
  const auditRan = async (outcome: ToolOutcome): Promise<void> => {
    await audit.appendOnce(runId, `tool.ran:${call.toolUseId}`, 'tool.ran', {
      tool: tool.id,
      toolUseId: call.toolUseId,
      status: outcome.status === 'ran' ? 'ok' : 'error',
      inputDigest: digest,
      ...(event.approval ? { approvalId: event.approval.approvalId } : {}),
      summary: outcome.message.slice(0, 300),
    });
  };
  if (digest !== event.inputDigest) return refuse('the input differs from the one the decision rights evaluated');
  const suspended = event.agentId && deps.suspensions ? await deps.suspensions.suspension(event.agentId) : undefined;
  if (suspended) return refuse(`agent "${event.agentId}" is suspended by ${suspended.byName}`);
  if (event.approval) {
    try {
      await assertApprovalCovers(deps.approvals, event.approval.approvalId, { runId, toolName: tool.id, input: call.input });
    } catch (error) {
      if (error instanceof AiosError) return refuse(`the approval does not cover this call: ${error.message}`);
      throw error;
    }
  }

  // Claim the call. A second delivery finds the record and returns what happened the first time.
  let attempt = 1;
  try {
    await state.put({ ...key, status: 'started', attempt, tool: tool.id, inputDigest: digest, at: new Date().toISOString() }, { itemExists: false });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const existing = await state.get(key);
    if (existing?.status === 'done') {
      // The attempt that ran it may have died before its audit record: `appendOnce` writes it if it is missing. (Records
      // that earlier versions marked `audited: true` had theirs; those without the field predate the once key.)
      if (existing.audited === false) await auditRan(existing.outcome as ToolOutcome);
      return existing.outcome as ToolOutcome;
    }
    if (!tool.idempotent) {
      if (!(tool.marksEffect && existing?.status === 'started')) {
        return refuse('an earlier attempt was interrupted and this tool is not idempotent, so it is not repeated; a person should check');
      }
      // The earlier attempt stopped before it acted: nothing happened yet. Take the call over; of several retries one wins.
      const previous = existing.attempt;
      attempt = (typeof previous === 'number' ? previous : 1) + 1;
      try {
        const sameAttempt =
          typeof previous === 'number' ? { field: 'attempt', op: 'eq' as const, value: previous } : { field: 'attempt', op: 'absent' as const };
        await state.update(key, { set: { attempt, at: new Date().toISOString() } }, { all: [{ field: 'status', op: 'eq', value: 'started' }, sameAttempt] });
      } catch (takeOver) {
        if (!(takeOver instanceof ConditionFailedError)) throw takeOver;
        return refuse('another attempt of this call took it over at the same moment; it is not repeated here');
      }
    }
  }
  const guarded = !tool.idempotent && tool.marksEffect;
  const beforeEffect = async (): Promise<void> => {
    if (!guarded) return;
    try {
      await state.update(
        key,
        { set: { status: 'acting' } },
        {
          all: [
            { field: 'status', op: 'eq', value: 'started' },
            { field: 'attempt', op: 'eq', value: attempt },
          ],
        },
      );
    } catch (error) {
      if (error instanceof ConditionFailedError) throw new ToolAttemptSupersededError(tool.id, call.toolUseId);
      throw error;
    }
  };

  const parsed = safeParse(tool.input, call.input);
  let outcome: ToolOutcome;
  let result: unknown = null;
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`).join('; ');
    outcome = answer('error', `Invalid input for ${tool.id}: ${problems}. Fix the input and try again.`);
  } else {
    const agent = deps.agents.find((a) => a.id === event.agentId);
    const ctx: ToolContext = {
      runId,
      workflowId: event.workflowId,
      agentId: event.agentId,
      toolUseId: call.toolUseId,
      idempotencyKey: event.idempotencyKey,
      ...(event.approval ? { approvalId: event.approval.approvalId } : {}),
      knowledgeNamespaces: agent?.knowledge ?? [],
      config: tool.config,
      env: deps.env,
      beforeEffect,
      ports: deps.ports,
      secret: declaredSecrets(tool, deps.secrets),
    };
    try {
      result = await withTimeout(tool.handler(parsed.data, ctx), tool.timeoutSeconds);
      outcome = answer('ran', bounded(result));
    } catch (error) {
      // Superseded: the newer attempt owns the record and the outcome; this one leaves both alone.
      if (error instanceof ToolAttemptSupersededError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      outcome = answer('error', `${tool.id} failed: ${message}`);
    }
  }

  await state.update(key, { set: { status: 'done', audited: false, outcome, result: storedResult(result), finishedAt: new Date().toISOString() } });
  await auditRan(outcome);
  return outcome;
}
