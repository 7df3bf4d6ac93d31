/**
 * A workflow `tool` step: the same tool-call states as the agent loop (gate,
 * approval, run) inside a one-branch Parallel, then a check that it ran.
 */
import type { ToolStep } from '../../definition/workflow';
import { toolCallSchema } from '../../contracts';
import type { StepCompiler } from '../step-compiler';
import { fromTemplate, renderPayload } from '../task-payload';
import { toolCallStates } from '../tool-call-fragment';
import { recovery } from './recovery';

export const compileToolStep: StepCompiler<ToolStep> = (step, { title: t, next, catches, entryOf }, { workflow }) => {
  const call = renderPayload(toolCallSchema, { toolUseId: step.id, name: step.tool, input: fromTemplate(step.input), reason: `Workflow step "${t}"` });
  const fragment = toolCallStates({ prefix: t, workflowId: workflow.id, stepId: step.id, agentId: null, tools: [step.tool] });
  const onRefused = step.onRefused ? entryOf(step.onRefused) : undefined;
  return {
    [t]: {
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
      ...recovery(step.retry, catches),
      Next: `${t}: carried out?`,
    },
    [`${t}: carried out?`]: {
      Type: 'Choice',
      Choices: [{ Variable: `$.steps.${step.id}.status`, StringEquals: 'ran', Next: next }],
      Default: onRefused ?? `${t}: refused`,
    },
    ...(onRefused
      ? {}
      : {
          [`${t}: refused`]: {
            Type: 'Fail',
            Error: 'Tool.NotCarriedOut',
            Cause: `The "${step.tool}" call of step "${step.id}" was denied, rejected, timed out or failed; see the run history.`,
          },
        }),
  };
};
