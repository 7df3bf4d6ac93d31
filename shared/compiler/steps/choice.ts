/** A choice step: the first rule that holds picks the next step. */
import type { ChoiceStep } from '../../definition/workflow';
import { choiceRule } from '../conditions';
import type { StepCompiler } from '../step-compiler';

export const compileChoiceStep: StepCompiler<ChoiceStep> = (step, { title, entryOf }) => ({
  [title]: {
    Type: 'Choice',
    Choices: step.choices.map((c) => ({ ...choiceRule(c.when), Next: entryOf(c.next) })),
    ...(step.otherwise !== undefined ? { Default: entryOf(step.otherwise) } : {}),
  },
});
