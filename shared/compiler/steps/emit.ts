/** An emit step: publishes an event (source `aios.workflow`) through the emit-event function. */
import type { EmitStep } from '../../definition/workflow';
import { emitEventInputSchema, emitEventOutputSchema } from '../../contracts';
import { lambdaTask } from '../lambda-task';
import type { StepCompiler } from '../step-compiler';
import { fromTemplate, renderPayload, runFields, selectOutput } from '../task-payload';

export const compileEmitStep: StepCompiler<EmitStep> = (step, { title, next, catches }, { workflow }) => ({
  [title]: lambdaTask({
    fn: 'FnEmitEvent',
    payload: renderPayload(emitEventInputSchema, { ...runFields(workflow.id, step.id, null), detailType: step.detailType, detail: fromTemplate(step.detail) }),
    resultSelector: selectOutput(emitEventOutputSchema, ['eventId']),
    resultPath: `$.steps.${step.id}`,
    retry: step.retry,
    catch: catches,
    next,
  }),
});
