/** A wait step: a fixed number of seconds, or until a timestamp found in the state. */
import type { WaitStep } from '../../definition/workflow';
import { jsonPath } from '../asl';
import type { StepCompiler } from '../step-compiler';

export const compileWaitStep: StepCompiler<WaitStep> = (step, { title, next }) => ({
  [title]: { Type: 'Wait', ...(step.seconds !== undefined ? { Seconds: step.seconds } : { TimestampPath: jsonPath(step.until!) }), Next: next },
});
