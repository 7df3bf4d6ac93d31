/** Succeed (the run's output is its steps' results) and fail (with the step's error and cause). */
import type { FailStep, SucceedStep } from '../../definition/workflow';
import type { StepCompiler } from '../step-compiler';

export const compileSucceedStep: StepCompiler<SucceedStep> = (_step, { title }) => ({ [title]: { Type: 'Succeed', OutputPath: '$.steps' } });

export const compileFailStep: StepCompiler<FailStep> = (step, { title }) => ({ [title]: { Type: 'Fail', Error: step.error, Cause: step.cause } });
