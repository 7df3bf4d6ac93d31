/**
 * An agent step: a loop of think (agent-step) → done? → act (a Map over the
 * tool calls, one at a time) → think …, bounded by the agent's maxTurns.
 */
import type { AgentStep } from '../../definition/workflow';
import { agentStepInputSchema, agentStepOutputSchema } from '../../contracts';
import { CompileError } from '../errors';
import { lambdaTask } from '../lambda-task';
import { agentStepRetries } from '../model-retry';
import type { StepCompiler } from '../step-compiler';
import { fromState, fromTemplate, renderPayload, runFields, selectOutput } from '../task-payload';
import { toolCallStates } from '../tool-call-fragment';

export const compileAgentStep: StepCompiler<AgentStep> = (step, { title: t, next, catches }, { workflow, os }) => {
  const agent = os.agents.find((a) => a.id === step.agent);
  if (!agent) throw new CompileError(`unknown agent "${step.agent}"`);
  const loop = `$.loops.${step.id}`;
  const fragment = toolCallStates({ prefix: t, workflowId: workflow.id, stepId: step.id, agentId: agent.id, tools: agent.tools });
  return {
    [`${t}: start`]: { Type: 'Pass', Result: { turn: 0, outcomes: [] }, ResultPath: loop, Next: `${t}: think` },
    [`${t}: think`]: lambdaTask({
      fn: 'FnAgentStep',
      payload: renderPayload(agentStepInputSchema, {
        ...runFields(workflow.id, step.id, agent.id),
        task: step.task,
        turn: fromState(`${loop}.turn`),
        outcomes: fromState(`${loop}.outcomes`),
        input: fromTemplate(step.input ?? null),
      }),
      resultSelector: selectOutput(agentStepOutputSchema, ['status', 'turn', 'toolCalls', 'output']),
      resultPath: loop,
      retry: agentStepRetries(step.retry),
      catch: catches,
      next: `${t}: done?`,
    }),
    [`${t}: done?`]: {
      Type: 'Choice',
      Choices: [
        { Variable: `${loop}.status`, StringEquals: 'done', Next: `${t}: keep answer` },
        { Variable: `${loop}.turn`, NumericGreaterThanEquals: agent.maxTurns, Next: `${t}: out of turns` },
      ],
      Default: `${t}: act`,
    },
    [`${t}: keep answer`]: { Type: 'Pass', InputPath: `${loop}.output`, ResultPath: `$.steps.${step.id}`, Next: next },
    [`${t}: out of turns`]: {
      Type: 'Fail',
      Error: 'Agent.MaxTurnsReached',
      Cause: `Agent "${agent.id}" used all ${agent.maxTurns} turns of step "${step.id}" without giving a final answer.`,
    },
    [`${t}: act`]: {
      Type: 'Map',
      ItemsPath: `${loop}.toolCalls`,
      ItemSelector: { 'call.$': '$$.Map.Item.Value', 'run.$': '$.run', approval: null },
      // One call at a time: approvals and side effects happen in the order the model asked for them.
      MaxConcurrency: 1,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: fragment.startAt, States: fragment.states },
      ResultPath: `${loop}.outcomes`,
      ...(catches.length ? { Catch: catches } : {}),
      Next: `${t}: think`,
    },
  };
};
