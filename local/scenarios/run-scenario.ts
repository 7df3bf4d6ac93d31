/**
 * Runs one scenario in process on the durable Step Functions engine (an
 * in-memory store, no port, no server): the workflow compiled as it deploys,
 * the project's own agent-step, tool-gate, approval and tool-run logic over
 * in-memory tables, the model answering from the scenario's recordings, the
 * scenario's people deciding the approvals asked of them, and tools answering
 * with the scenario's stubs instead of acting on the world.
 */
import path from 'node:path';
import type { ConverseRequest, ConverseResponse } from '../../shared/agents/converse-shapes';
import type { KnowledgeSearch } from '../../shared/agents/knowledge-port';
import { decide, expireApprovalOfCall, requestApproval, type ApprovalRequestDeps } from '../../shared/approvals/approval-service';
import { ApprovalStore } from '../../shared/approvals/approval-store';
import { AuditLog } from '../../shared/audit/audit-log';
import { clockFrom, clockFromEnv, type Clock } from '../../shared/clock/local-clock';
import { compileAll, functionPlaceholders, substitutePlaceholders, SYSTEM_FUNCTIONS } from '../../shared/compiler';
import type { ValidOs } from '../../shared/definition';
import { toolFunctionName, type ToolPorts } from '../../shared/definition/tool';
import { AiosError } from '../../shared/errors';
import { LimitCounters } from '../../shared/rights/limit-counters';
import { checkExpectations, type Mismatch } from '../../shared/scenarios/check-expectations';
import type { ObservedRun, ObservedToolCall } from '../../shared/scenarios/observed-run';
import { parsePersonAction, type Scenario } from '../../shared/scenarios/scenario-schema';
import { MemoryTable } from '../../shared/storage/memory-table';
import { runTool } from '../../shared/tools/run-tool';
import { emitRunEvent } from '../../events/emit-run-event';
import { auditModelCalls } from '../../functions/agent-step/agent-step-environment';
import { handleAgentStep } from '../../functions/agent-step/agent-step-handler';
import { agentStepDefinitionOf } from '../../functions/agent-step/whole-definition';
import { gateToolCall } from '../../functions/tool-gate/gate';
import { createReplayProvider } from '../bedrock/providers/replay-provider';
import { loadRecordings, recordingSchema, type RecordingFile } from '../bedrock/recordings';
import { FunctionRegistry } from '../functions';
import { DeliveryRuns } from '../../shared/webhooks/delivery-runs';
import { openStepFunctions } from '../stepfunctions';

export class ScenarioSetupError extends AiosError {
  constructor(message: string) {
    super('Scenario.Setup', message);
  }
}

export interface ScenarioUsage {
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  modelLatencyMs: number;
}

export interface ScenarioResult {
  name: string;
  file: string;
  observed: ObservedRun;
  mismatches: Mismatch[];
  usage: ScenarioUsage;
}

export interface RunScenarioOptions {
  os: ValidOs;
  scenario: Scenario;
  /** The scenario file: recordings it names are relative to it. */
  file: string;
  /** The definition's recordings folder (absolute), used when the scenario names none. */
  recordingsDir: string;
  /** A live model instead of the recordings (`aios eval`). */
  converse?: (request: ConverseRequest) => Promise<ConverseResponse>;
  knowledge?: KnowledgeSearch;
  /** Longest a run may take before it is stopped and reported (default 60 s). */
  maxRunMs?: number;
  /** Where AIOS_CLOCK is read when the scenario names no clock (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The recordings the scenario's model answers from: inline, named files, or the definition's folder. */
export function scenarioRecordings(scenario: Scenario, file: string, recordingsDir: string): RecordingFile[] {
  const out: RecordingFile[] = [];
  if (scenario.recording !== undefined) {
    const parsed = recordingSchema.safeParse(scenario.recording);
    if (!parsed.success)
      throw new ScenarioSetupError(
        `${file}: recording is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      );
    out.push({ file: `${file}#recording`, recording: parsed.data });
  }
  for (const named of scenario.recordings ?? []) {
    const target = path.resolve(path.dirname(file), named);
    const found = loadRecordings(path.dirname(target)).find((r) => r.file === target);
    if (!found) throw new ScenarioSetupError(`${file}: recording ${named} not found (looked for ${target})`);
    out.push(found);
  }
  return out.length > 0 || scenario.recordings ? out : loadRecordings(recordingsDir);
}

function runInput(scenario: Scenario, now: Date): unknown {
  if (!scenario.event) return scenario.input ?? {};
  return {
    version: '0',
    id: 'scenario-event',
    'detail-type': scenario.event['detail-type'],
    source: scenario.event.source,
    account: '000000000000',
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: [],
    detail: scenario.event.detail,
  };
}

const executionName = (name: string) => `scenario-${name.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, 80).replace(/-+$/, '');

/** A scenario answers every tool from its file, so no tool reaches email, the bus or the knowledge base. */
const SCENARIO_TOOL_PORTS: ToolPorts = {
  sendEmail: () => Promise.reject(new AiosError('Scenario.NoPorts', 'a scenario answers tools from its file; nothing is sent')),
  publisher: { publish: () => Promise.reject(new AiosError('Scenario.NoPorts', 'a scenario answers tools from its file; nothing is published')) },
  knowledge: {
    search: () => Promise.reject(new AiosError('Scenario.NoPorts', 'a scenario answers tools from its file')),
    remember: () => Promise.reject(new AiosError('Scenario.NoPorts', 'a scenario answers tools from its file')),
  },
};

export async function runScenario(options: RunScenarioOptions): Promise<ScenarioResult> {
  const { os, scenario, file } = options;
  const workflowAsl = compileAll(os).get(scenario.workflow);
  if (!workflowAsl)
    throw new ScenarioSetupError(`${file}: no workflow "${scenario.workflow}" (the definition has ${os.workflows.map((w) => w.id).join(', ')})`);
  // The scenario's clock, else AIOS_CLOCK, else the real one.
  const startClock: Clock = scenario.clock ? clockFrom(scenario.clock) : clockFromEnv(options.env ?? process.env);
  // "the deadline passes" moves the clock past an approval's deadline.
  let jumpedMs = 0;
  const clock: Clock = () => new Date(startClock().getTime() + jumpedMs);
  const answer =
    options.converse ?? createReplayProvider({ dir: options.recordingsDir, recordings: scenarioRecordings(scenario, file, options.recordingsDir) }).converse;
  // The model's latest failure, kept for the stop at maxRunMs: the agent step retries an unreachable model for longer
  // than that, and "did not finish within 60 s" alone does not say the server was never reached.
  let lastModelError: string | undefined;
  const converse = async (request: ConverseRequest): Promise<ConverseResponse> => {
    try {
      const response = await answer(request);
      lastModelError = undefined;
      return response;
    } catch (error) {
      lastModelError = error instanceof Error ? error.message : String(error);
      throw error;
    }
  };

  const state = new MemoryTable('state');
  const audit = new AuditLog(new MemoryTable('audit'), clock);
  const approvals = new ApprovalStore(state);
  const registry = new FunctionRegistry();
  const sfn = openStepFunctions({ dataDir: ':memory:', functions: registry });

  const usage: ScenarioUsage = { modelCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, modelLatencyMs: 0 };
  const emails: ObservedRun['emails'] = [];
  const toolCalls: ObservedToolCall[] = [];
  const callsById = new Map<string, ObservedToolCall>();
  const approvalIds: string[] = [];
  const actions = scenario.people.map(parsePersonAction);
  const settling: Promise<void>[] = [];
  let executionArn = '';
  let waitingFor: string | undefined;

  const approvalDeps: ApprovalRequestDeps = {
    store: approvals,
    audit,
    signingKey: async () => 'scenario-signing-key',
    notifier: { sendTaskSuccess: (token, output) => sfn.engine.sendTaskSuccess(token, JSON.stringify(output)) },
    mailer: { send: async (email) => void emails.push({ to: email.to, subject: email.subject }) },
    people: os.people,
    publicUrl: 'http://aios.invalid',
    toolDescribers: Object.fromEntries(os.tools.flatMap((t) => (t.describe ? [[t.id, t.describe as (input: unknown) => string]] : []))),
    now: clock,
  };

  /** The scenario's people decide, in order, the approval just asked of them; none left: the run waits. */
  const settle = async (approvalId: string): Promise<void> => {
    await new Promise((r) => setImmediate(r));
    const approval = (await approvals.get(approvalId))!;
    for (;;) {
      const i = actions.findIndex((a) => a.kind === 'deadline' || approval.approvers.includes(a.person));
      if (i < 0) break;
      const [action] = actions.splice(i, 1);
      if (action.kind === 'deadline') {
        // As Step Functions reports a task past its TimeoutSeconds: the workflow's own path rejects or escalates.
        jumpedMs += Math.max(0, Date.parse(approval.deadline) - clock().getTime()) + 1000;
        await sfn.engine.sendTaskFailure(approval.taskToken, 'States.Timeout', 'the approval deadline passed (scenario)');
        return;
      }
      const result = await decide(approvalDeps, { approvalId, approver: action.person, vote: action.vote, comment: action.comment ?? null, via: 'cli' });
      if (result.kind === 'recorded' && result.approval.status !== 'pending') return;
    }
    waitingFor = `the approval asked of ${approval.approvers.join(', ')}${approval.call ? ` for ${approval.call.name}` : ''}`;
    await sfn.engine.stopExecution(executionArn, 'Scenario.Waiting', `no decision in the scenario for ${waitingFor}`).catch(() => undefined);
  };

  registry.register(SYSTEM_FUNCTIONS.FnAgentStep, (event) =>
    handleAgentStep(event, {
      os: agentStepDefinitionOf(os),
      state,
      converse,
      ...(options.knowledge ? { knowledge: options.knowledge } : {}),
      onModelCall: async (call) => {
        usage.modelCalls += 1;
        usage.inputTokens += call.inputTokens;
        usage.outputTokens += call.outputTokens;
        usage.costUsd += call.costUsd;
        usage.modelLatencyMs += call.latencyMs;
        await auditModelCalls(audit)(call);
      },
    }),
  );
  registry.register(SYSTEM_FUNCTIONS.FnToolGate, async (event) => {
    const decision = await gateToolCall(
      {
        rules: os.rules,
        people: os.people,
        tools: os.tools,
        agents: os.agents,
        counters: new LimitCounters(state),
        audit,
        now: clock,
        facts: os.facts,
        lists: os.lists,
      },
      event,
    );
    const e = event as { stepId: string; call: { toolUseId: string; name: string; input: unknown } };
    if (!callsById.has(e.call.toolUseId)) {
      const call: ObservedToolCall = { step: e.stepId, tool: e.call.name, input: e.call.input, status: 'not-run' };
      callsById.set(e.call.toolUseId, call);
      toolCalls.push(call);
    }
    return decision;
  });
  registry.register(SYSTEM_FUNCTIONS.FnApprovalRequest, async (event) => {
    if ((event as { action?: unknown }).action === 'expire') return expireApprovalOfCall(approvalDeps, event);
    const result = await requestApproval(approvalDeps, event);
    if (!approvalIds.includes(result.approvalId)) approvalIds.push(result.approvalId);
    settling.push(settle(result.approvalId));
    return result;
  });
  registry.register(SYSTEM_FUNCTIONS.FnEmitEvent, (event) =>
    emitRunEvent(
      { publisher: { publish: async (events) => events.map((_, i) => `scenario-event-${i}`) }, audit, runs: new DeliveryRuns(state), now: clock },
      event,
    ),
  );
  for (const tool of os.tools) {
    const stub = scenario.tools[tool.id];
    const stubbed = {
      ...tool,
      handler: async () => {
        if (stub && 'error' in stub) throw new Error(stub.error);
        return stub ? stub.result : { ok: true };
      },
    };
    registry.register(toolFunctionName(tool.id), async (event) => {
      const outcome = await runTool({ tool: stubbed, agents: os.agents, state, approvals, audit, env: {}, ports: SCENARIO_TOOL_PORTS }, event);
      const call = callsById.get((event as { call: { toolUseId: string } }).call.toolUseId);
      if (call) {
        call.status = outcome.status === 'ran' ? 'ran' : outcome.message.startsWith('Not carried out') ? 'refused' : 'error';
        if (call.status === 'ran' && tool.id === 'email.send') {
          const input = call.input as { to?: string; subject?: string };
          emails.push({ to: String(input.to), subject: String(input.subject) });
        }
      }
      return outcome;
    });
  }

  try {
    const values = Object.fromEntries(
      Object.entries(functionPlaceholders(os.tools.map((t) => t.id))).map(([k, name]) => [
        k,
        `arn:aws:lambda:${registry.region}:${registry.accountId}:function:${name}`,
      ]),
    );
    const created = (await sfn.service.handle('CreateStateMachine', {
      name: scenario.workflow,
      definition: substitutePlaceholders(workflowAsl, values),
      roleArn: 'arn:aws:iam::000000000000:role/aios-scenario',
    })) as { stateMachineArn: string };
    const started = await sfn.engine.startExecution({
      stateMachineArn: created.stateMachineArn,
      name: executionName(scenario.name),
      input: JSON.stringify(runInput(scenario, clock())),
    });
    executionArn = started.executionArn;
    const limit = setTimeout(
      () =>
        void sfn.engine
          .stopExecution(
            executionArn,
            'Scenario.Timeout',
            `the run did not finish within ${(options.maxRunMs ?? 60_000) / 1000} s${lastModelError ? `; the model's last error: ${lastModelError}` : ''}`,
          )
          .catch(() => undefined),
      options.maxRunMs ?? 60_000,
    );
    const row = await sfn.engine.waitForExecution(executionArn).finally(() => clearTimeout(limit));
    await Promise.all(settling);

    const runId = row.name;
    const records = await audit.records(runId);
    const observed: ObservedRun = {
      status: row.status === 'SUCCEEDED' ? 'succeeded' : waitingFor && row.status === 'ABORTED' ? 'waiting' : 'failed',
      ...(row.status !== 'SUCCEEDED' ? { error: waitingFor ? `waits for ${waitingFor}` : `${row.error ?? row.status}: ${causeText(row.cause)}` } : {}),
      rights: records
        .filter((r) => r.kind === 'rights.evaluated')
        .map((r) => {
          const d = r.data as Record<string, unknown>;
          return {
            step: String(d.stepId),
            tool: String(d.tool),
            decision: d.decision as 'allow' | 'approve' | 'deny',
            rule: (d.ruleId as string | null) ?? null,
            reason: String(d.reason ?? ''),
          };
        }),
      toolCalls,
      approvals: await Promise.all(
        approvalIds.map(async (id) => {
          const a = (await approvals.get(id))!;
          return { step: a.stepId, tool: a.call?.name ?? null, approvers: a.approvers, outcome: a.status };
        }),
      ),
      emails,
      output: row.output ? (JSON.parse(row.output) as unknown) : null,
    };
    return { name: scenario.name, file, observed, mismatches: checkExpectations(scenario.expect, observed), usage };
  } finally {
    sfn.close();
  }
}

/** A Lambda error's message from its Cause JSON, else the cause as it is. */
function causeText(cause: string | null): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return parsed.errorMessage ?? cause;
  } catch {
    return cause;
  }
}
