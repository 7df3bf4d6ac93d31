/**
 * Compiles one workflow to an Amazon States Language document (JSONPath).
 *
 * Shape: prepare the run state → announce `aios.run.started` → run the steps
 * inside a one-branch Parallel (so any failure is caught once, announced as
 * `aios.run.failed` and re-raised with its error) → announce
 * `aios.run.succeeded` → succeed with the steps' results.
 *
 * Run state: `{ event, run: { id, workflow, startedAt }, steps: { <id>: result }, loops }`.
 * Deterministic: the same definition always gives the same document.
 */
import { parseDuration } from '../rights/duration';
import { AiosError } from '../errors';
import type { ValidOs } from '../definition/validate';
import type { AgentStep, ApprovalStep, CatchRule, Step, ToolStep, Workflow } from '../definition/workflow';
import type { AslDocument, AslScope, AslState } from './asl';
import { jsonPath } from './asl';
import { choiceRule } from './conditions';
import { agentStepRetries } from './model-retry';
import { lambdaTask, userRetries } from './lambda-task';
import { stepTitle } from './state-names';
import { setParameter } from './templates';
import { toolCallStates } from './tool-call-fragment';

export class CompileError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Compile.Failed', message, details);
  }
}

const RUN = {
  prepare: 'Run: prepare',
  announceStart: 'Run: announce start',
  steps: 'Run',
  collect: 'Run: collect results',
  announceSuccess: 'Run: announce success',
  done: 'Run: succeeded',
  announceFailure: 'Run: announce failure',
  failed: 'Run: failed',
};

interface Scope {
  /** Where "the end" of this list of steps goes. */
  endState: string;
  /** Whether any state goes to the end (a list that always succeeds or fails explicitly has no end state). */
  endUsed: boolean;
  states: Record<string, AslState>;
}

export function compileWorkflow(workflow: Workflow, os: ValidOs): AslDocument {
  const agents = new Map(os.agents.map((a) => [a.id, a]));
  const resolve = (approvers: readonly string[]): string[] => {
    const ids = new Set<string>();
    for (const a of approvers) {
      if (a.startsWith('role:')) {
        for (const p of os.people) if (p.roles.includes(a.slice(5))) ids.add(p.id);
      } else {
        ids.add(a);
      }
    }
    return [...ids].sort();
  };

  const add = (scope: Scope, name: string, state: AslState) => {
    if (name in scope.states) throw new CompileError(`two states would be named "${name}" in workflow "${workflow.id}": give one of the steps a different title`);
    scope.states[name] = state;
  };

  const entryName = (step: Step): string => {
    const t = stepTitle(step);
    switch (step.kind) {
      case 'agent':
        return `${t}: start`;
      case 'approval':
        return `${t}: await`;
      default:
        return t;
    }
  };

  const common = (stepId: string, agentId: string | null) => ({ 'runId.$': '$.run.id', workflowId: workflow.id, stepId, agentId });

  function compileSteps(steps: readonly Step[], scope: Scope): string {
    const byId = new Map(steps.map((s) => [s.id, s]));
    const target = (id: string | undefined, index: number): string => {
      if (id !== undefined) return entryName(byId.get(id)!);
      if (index + 1 < steps.length) return entryName(steps[index + 1]);
      scope.endUsed = true;
      return scope.endState;
    };
    const catches = (step: { id: string; catch?: readonly CatchRule[] }): Record<string, unknown>[] =>
      (step.catch ?? []).map((c) => ({ ErrorEquals: c.errors ? [...c.errors] : ['States.ALL'], ResultPath: `$.steps.${step.id}`, Next: entryName(byId.get(c.next)!) }));

    steps.forEach((step, i) => {
      const t = stepTitle(step);
      // Computed only by the kinds that continue, so a list ending in succeed/fail has no end state.
      const needsNext = !['choice', 'succeed', 'fail'].includes(step.kind);
      const next = needsNext ? target(step.next, i) : '';
      switch (step.kind) {
        case 'agent':
          compileAgent(step, scope, next, catches(step));
          break;
        case 'tool':
          compileTool(step, scope, next, catches(step), step.onRefused ? entryName(byId.get(step.onRefused)!) : undefined);
          break;
        case 'approval':
          compileApproval(step, scope, next, catches(step), step.onReject ? entryName(byId.get(step.onReject)!) : undefined);
          break;
        case 'choice':
          add(scope, t, {
            Type: 'Choice',
            Choices: step.choices.map((c) => ({ ...choiceRule(c.when), Next: entryName(byId.get(c.next)!) })),
            ...(step.otherwise !== undefined ? { Default: entryName(byId.get(step.otherwise)!) } : {}),
          });
          break;
        case 'wait':
          add(scope, t, { Type: 'Wait', ...(step.seconds !== undefined ? { Seconds: step.seconds } : { TimestampPath: jsonPath(step.until!) }), Next: next });
          break;
        case 'emit': {
          const payload: Record<string, unknown> = { ...common(step.id, null), detailType: step.detailType };
          setParameter(payload, 'detail', step.detail);
          add(
            scope,
            t,
            lambdaTask({
              fn: 'FnEmitEvent',
              payload,
              resultSelector: { 'eventId.$': '$.Payload.eventId' },
              resultPath: `$.steps.${step.id}`,
              retry: step.retry,
              catch: catches(step),
              next,
            }),
          );
          break;
        }
        case 'succeed':
          add(scope, t, { Type: 'Succeed', OutputPath: '$.steps' });
          break;
        case 'fail':
          add(scope, t, { Type: 'Fail', Error: step.error, Cause: step.cause });
          break;
        case 'parallel': {
          const branches = step.branches.map((branch, b) => subScope(branch, `${t}: branch ${b + 1} done`));
          add(scope, t, {
            Type: 'Parallel',
            Branches: branches,
            ResultPath: `$.steps.${step.id}`,
            ...(step.retry ? { Retry: userRetries(step.retry) } : {}),
            ...(step.catch?.length ? { Catch: catches(step) } : {}),
            Next: next,
          });
          break;
        }
        case 'map': {
          const body = subScope(step.steps, `${t}: item done`);
          add(scope, t, {
            Type: 'Map',
            ItemsPath: jsonPath(step.items),
            ItemSelector: { 'event.$': '$.event', 'run.$': '$.run', 'item.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', steps: {}, loops: {} },
            ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...body },
            ...(step.maxConcurrency !== undefined ? { MaxConcurrency: step.maxConcurrency } : {}),
            ResultPath: `$.steps.${step.id}`,
            ...(step.retry ? { Retry: userRetries(step.retry) } : {}),
            ...(step.catch?.length ? { Catch: catches(step) } : {}),
            Next: next,
          });
          break;
        }
      }
    });
    return entryName(steps[0]);
  }

  function subScope(steps: readonly Step[], collectorName: string): AslScope {
    const scope: Scope = { endState: collectorName, endUsed: false, states: {} };
    const startAt = compileSteps(steps, scope);
    if (scope.endUsed) scope.states[collectorName] = { Type: 'Pass', OutputPath: '$.steps', End: true };
    return { StartAt: startAt, States: scope.states };
  }

  function compileAgent(step: AgentStep, scope: Scope, next: string, catches: Record<string, unknown>[]) {
    const agent = agents.get(step.agent);
    if (!agent) throw new CompileError(`unknown agent "${step.agent}"`);
    const t = stepTitle(step);
    const loop = `$.loops.${step.id}`;
    add(scope, `${t}: start`, { Type: 'Pass', Result: { turn: 0, outcomes: [] }, ResultPath: loop, Next: `${t}: think` });
    const payload: Record<string, unknown> = {
      ...common(step.id, agent.id),
      task: step.task,
      'turn.$': `${loop}.turn`,
      'outcomes.$': `${loop}.outcomes`,
    };
    setParameter(payload, 'input', step.input ?? null);
    add(
      scope,
      `${t}: think`,
      lambdaTask({
        fn: 'FnAgentStep',
        payload,
        resultSelector: {
          'status.$': '$.Payload.status',
          'turn.$': '$.Payload.turn',
          'toolCalls.$': '$.Payload.toolCalls',
          'output.$': '$.Payload.output',
        },
        resultPath: loop,
        retry: agentStepRetries(step.retry),
        catch: catches,
        next: `${t}: done?`,
      }),
    );
    add(scope, `${t}: done?`, {
      Type: 'Choice',
      Choices: [
        { Variable: `${loop}.status`, StringEquals: 'done', Next: `${t}: keep answer` },
        { Variable: `${loop}.turn`, NumericGreaterThanEquals: agent.maxTurns, Next: `${t}: out of turns` },
      ],
      Default: `${t}: act`,
    });
    add(scope, `${t}: keep answer`, { Type: 'Pass', InputPath: `${loop}.output`, ResultPath: `$.steps.${step.id}`, Next: next });
    add(scope, `${t}: out of turns`, {
      Type: 'Fail',
      Error: 'Agent.MaxTurnsReached',
      Cause: `Agent "${agent.id}" used all ${agent.maxTurns} turns of step "${step.id}" without giving a final answer.`,
    });
    const fragment = toolCallStates({ prefix: t, workflowId: workflow.id, stepId: step.id, agentId: agent.id, tools: agent.tools });
    add(scope, `${t}: act`, {
      Type: 'Map',
      ItemsPath: `${loop}.toolCalls`,
      ItemSelector: { 'call.$': '$$.Map.Item.Value', 'run.$': '$.run', approval: null },
      // One call at a time: approvals and side effects happen in the order the model asked for them.
      MaxConcurrency: 1,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: fragment.startAt, States: fragment.states },
      ResultPath: `${loop}.outcomes`,
      ...(catches.length ? { Catch: catches } : {}),
      Next: `${t}: think`,
    });
  }

  function compileTool(step: ToolStep, scope: Scope, next: string, catches: Record<string, unknown>[], onRefused: string | undefined) {
    const t = stepTitle(step);
    const call: Record<string, unknown> = { toolUseId: step.id, name: step.tool };
    setParameter(call, 'input', step.input);
    call.reason = `Workflow step "${t}"`;
    const fragment = toolCallStates({ prefix: t, workflowId: workflow.id, stepId: step.id, agentId: null, tools: [step.tool] });
    add(scope, t, {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: `${t}: prepare call`,
          States: {
            [`${t}: prepare call`]: { Type: 'Pass', Parameters: { call, 'run.$': '$.run', approval: null }, Next: fragment.startAt },
            ...fragment.states,
          },
        },
      ],
      ResultSelector: { 'toolUseId.$': '$[0].toolUseId', 'status.$': '$[0].status', 'message.$': '$[0].message' },
      ResultPath: `$.steps.${step.id}`,
      ...(step.retry ? { Retry: userRetries(step.retry) } : {}),
      ...(catches.length ? { Catch: catches } : {}),
      Next: `${t}: carried out?`,
    });
    add(scope, `${t}: carried out?`, {
      Type: 'Choice',
      Choices: [{ Variable: `$.steps.${step.id}.status`, StringEquals: 'ran', Next: next }],
      Default: onRefused ?? `${t}: refused`,
    });
    if (!onRefused) {
      add(scope, `${t}: refused`, {
        Type: 'Fail',
        Error: 'Tool.NotCarriedOut',
        Cause: `The "${step.tool}" call of step "${step.id}" was denied, rejected, timed out or failed; see the run history.`,
      });
    }
  }

  function compileApproval(step: ApprovalStep, scope: Scope, next: string, catches: Record<string, unknown>[], onReject: string | undefined) {
    const t = stepTitle(step);
    const ask = (stage: 'primary' | 'escalation', approvers: string[], quorum: number, timeoutSeconds: number, onTimeout: string): AslState => {
      const payload: Record<string, unknown> = { 'taskToken.$': '$$.Task.Token', ...common(step.id, null), stage, subject: step.subject };
      setParameter(payload, 'details', step.details ?? null);
      Object.assign(payload, { approvers, quorum, timeoutSeconds });
      return lambdaTask({
        fn: 'FnApprovalRequest',
        waitForTaskToken: true,
        payload,
        timeoutSeconds,
        resultPath: `$.steps.${step.id}`,
        retry: step.retry,
        catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: `$.steps.${step.id}`, Next: onTimeout }, ...catches],
        next: `${t}: approved?`,
      });
    };
    const escalate = step.onTimeout !== 'reject' ? step.onTimeout : undefined;
    add(scope, `${t}: await`, ask('primary', resolve(step.approvers), step.quorum ?? 1, parseDuration(step.timeout), escalate ? `${t}: escalate` : `${t}: timed out`));
    if (escalate) {
      add(scope, `${t}: escalate`, ask('escalation', resolve(escalate.escalateTo), escalate.quorum ?? 1, parseDuration(escalate.timeout), `${t}: timed out`));
    }
    add(
      scope,
      `${t}: timed out`,
      lambdaTask({
        fn: 'FnApprovalRequest',
        payload: { action: 'expire', 'runId.$': '$.run.id', stepId: step.id, toolUseId: null },
        resultPath: null,
        catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: `${t}: not approved in time` }],
        next: `${t}: not approved in time`,
      }),
    );
    add(scope, `${t}: not approved in time`, { Type: 'Pass', Result: { approved: false, timedOut: true }, ResultPath: `$.steps.${step.id}`, Next: `${t}: approved?` });
    add(scope, `${t}: approved?`, {
      Type: 'Choice',
      Choices: [{ Variable: `$.steps.${step.id}.approved`, BooleanEquals: true, Next: next }],
      Default: onReject ?? `${t}: rejected`,
    });
    if (!onReject) add(scope, `${t}: rejected`, { Type: 'Fail', Error: 'Approval.Rejected', Cause: `"${step.subject}" was rejected or not approved in time.` });
  }

  const body = subScope(workflow.steps, RUN.collect);
  const announce = (detailType: string, detail: Record<string, unknown>, next: string): AslState =>
    lambdaTask({ fn: 'FnEmitEvent', payload: { ...common('run', null), detailType, detail }, resultPath: null, next });

  return {
    Comment: `${workflow.id}: ${workflow.description}`,
    StartAt: RUN.prepare,
    States: {
      [RUN.prepare]: {
        Type: 'Pass',
        Parameters: {
          'event.$': '$',
          run: { 'id.$': '$$.Execution.Name', workflow: workflow.id, 'startedAt.$': '$$.Execution.StartTime' },
          steps: {},
          loops: {},
        },
        Next: RUN.announceStart,
      },
      [RUN.announceStart]: announce('aios.run.started', { 'startedAt.$': '$.run.startedAt', 'trigger.$': '$.event' }, RUN.steps),
      [RUN.steps]: {
        Type: 'Parallel',
        Branches: [body],
        ResultSelector: { 'steps.$': '$[0]' },
        ResultPath: '$.result',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: RUN.announceFailure }],
        Next: RUN.announceSuccess,
      },
      [RUN.announceSuccess]: announce('aios.run.succeeded', { 'startedAt.$': '$.run.startedAt' }, RUN.done),
      [RUN.done]: { Type: 'Succeed', OutputPath: '$.result.steps' },
      [RUN.announceFailure]: announce('aios.run.failed', { 'startedAt.$': '$.run.startedAt', 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' }, RUN.failed),
      [RUN.failed]: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  };
}

/** Every workflow's ASL as the exact text written to `dist/asl/<id>.asl.json`. */
export function compileAll(os: ValidOs): Map<string, string> {
  const out = new Map<string, string>();
  for (const wf of [...os.workflows].sort((a, b) => a.id.localeCompare(b.id))) out.set(wf.id, `${JSON.stringify(compileWorkflow(wf, os), null, 2)}\n`);
  return out;
}
