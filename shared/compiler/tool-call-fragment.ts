/**
 * The states that carry out one tool call, shared by the agent loop (inside
 * its Map over tool calls) and by workflow `tool` steps:
 *
 *   check rights ─► decide ─ allow ──────────────────────────────► run <tool> ─► outcome
 *                           ├ approve ─► await approval ─► approved? ─┘   └ rejected
 *                           │             └ deadline passed ─► await escalated approval / timed out
 *                           └ deny ─► denied
 *
 * Input: `{ call: <contracts toolCallSchema>, run, approval: null }`.
 * Output (every path): `{ toolUseId, status: ran|error|denied|rejected|timed_out, message }`.
 * Large tool results never ride in the state: the tool function stores them.
 */
import { toolPlaceholder } from '../definition/tool';
import type { AslState } from './asl';
import { approvalExpireInputSchema, approvalRequestInputSchema, toolGateInputSchema, toolGateOutputSchema, toolRunInputSchema } from '../contracts';
import { lambdaTask } from './lambda-task';
import { fromState, renderPayload, runFields, selectOutput } from './task-payload';

export interface ToolCallContext {
  prefix: string;
  workflowId: string;
  stepId: string;
  agentId: string | null;
  /** The tools this call may name (the agent's tools, or the step's one tool). */
  tools: readonly string[];
}

export function toolCallStates(c: ToolCallContext): { startAt: string; states: Record<string, AslState> } {
  const n = (what: string) => `${c.prefix}: ${what}`;
  const common = runFields(c.workflowId, c.stepId, c.agentId);
  const outcome = (status: string, message: string | { path: string }): AslState => ({
    Type: 'Pass',
    Parameters: {
      'toolUseId.$': '$.call.toolUseId',
      status,
      ...(typeof message === 'string' ? { message } : { 'message.$': message.path }),
    },
    End: true,
  });
  const awaitApproval = (stage: 'primary' | 'escalation', source: string, onTimeout: string): AslState =>
    lambdaTask({
      fn: 'FnApprovalRequest',
      waitForTaskToken: true,
      payload: renderPayload(approvalRequestInputSchema, {
        taskToken: fromState('$$.Task.Token'),
        ...common,
        stage,
        call: fromState('$.call'),
        ruleId: fromState('$.gate.ruleId'),
        inputDigest: fromState('$.gate.inputDigest'),
        approvers: fromState(`${source}.approvers`),
        quorum: fromState(`${source}.quorum`),
        timeoutSeconds: fromState(`${source}.timeoutSeconds`),
      }),
      timeoutSecondsPath: `${source}.timeoutSeconds`,
      resultPath: '$.approval',
      catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: stage === 'primary' ? n('deadline passed') : onTimeout }],
      next: n('approved?'),
    });

  const states: Record<string, AslState> = {
    [n('check rights')]: lambdaTask({
      fn: 'FnToolGate',
      payload: renderPayload(toolGateInputSchema, { ...common, call: fromState('$.call') }),
      resultSelector: selectOutput(toolGateOutputSchema, ['decision', 'ruleId', 'reason', 'inputDigest', 'approval']),
      resultPath: '$.gate',
      next: n('decide'),
    }),
    [n('decide')]: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.gate.decision', StringEquals: 'allow', Next: n('run') },
        { Variable: '$.gate.decision', StringEquals: 'approve', Next: n('await approval') },
      ],
      Default: n('denied'),
    },
    [n('denied')]: outcome('denied', { path: "States.Format('Not allowed by the decision rights: {}', $.gate.reason)" }),
    [n('await approval')]: awaitApproval('primary', '$.gate.approval', n('timed out')),
    [n('deadline passed')]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.gate.approval.onTimeout', StringEquals: 'escalate', Next: n('await escalated approval') }],
      Default: n('timed out'),
    },
    [n('await escalated approval')]: awaitApproval('escalation', '$.gate.approval.escalation', n('timed out')),
    [n('approved?')]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.approval.approved', BooleanEquals: true, Next: n('run') }],
      Default: n('rejected'),
    },
    // The approvers' comments go back to the agent with the refusal, so it can act on what they said.
    [n('rejected')]: outcome('rejected', {
      path: "States.Format('A person rejected this action; it was not carried out. Their comments: {}', States.JsonToString($.approval.comments))",
    }),
    // The deadline is the task's timeout: record it on the approval (and in the audit) before telling the agent.
    [n('timed out')]: lambdaTask({
      fn: 'FnApprovalRequest',
      payload: renderPayload(approvalExpireInputSchema, {
        action: 'expire',
        runId: fromState('$.run.id'),
        stepId: c.stepId,
        toolUseId: fromState('$.call.toolUseId'),
      }),
      resultPath: null,
      catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.expireFailure', Next: n('not approved in time') }],
      next: n('not approved in time'),
    }),
    [n('not approved in time')]: outcome('timed_out', 'No one approved this action before the deadline; it was not carried out.'),
    [n('run')]: {
      Type: 'Choice',
      Choices: [...c.tools].sort().map((tool) => ({ Variable: '$.call.name', StringEquals: tool, Next: n(`run ${tool}`) })),
      Default: n('unknown tool'),
    },
    [n('unknown tool')]: outcome('error', { path: "States.Format('There is no tool named {} here.', $.call.name)" }),
  };
  for (const tool of [...c.tools].sort()) {
    states[n(`run ${tool}`)] = lambdaTask({
      fn: toolPlaceholder(tool),
      payload: renderPayload(toolRunInputSchema, {
        ...common,
        call: fromState('$.call'),
        approval: fromState('$.approval'),
        inputDigest: fromState('$.gate.inputDigest'),
        idempotencyKey: fromState("States.Format('{}:{}', $.run.id, $.call.toolUseId)"),
      }),
      outputPath: '$.Payload',
      catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: n('tool failed') }],
    });
  }
  states[n('tool failed')] = outcome('error', { path: "States.Format('The tool failed: {}', $.failure.Cause)" });
  return { startAt: n('check rights'), states };
}
