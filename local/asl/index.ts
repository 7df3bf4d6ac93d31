/** The Amazon States Language interpreter (JSONPath and JSONata), without storage or I/O. */
export * from './types';
export * from './errors';
export { validateDefinition, type Diagnostic } from './definition';
export { enterState, completeState, recoverFromError, type ErrorOutcome } from './executor';
export { contextObject, type ExecutionIdentity } from './context';
export type { StateStep, StateEnv, TaskCall } from './step';
export { needsTaskToken, taskResult } from './states/task';
export { mapItemInput, mapProcessor, exceedsTolerance } from './states/map';
export { parseTaskResource, functionNameOf } from './task-resource';
export { enterJsonataState, completeJsonataState, catchJsonataError } from './jsonata/states';
export { StatesQueryEvaluationError } from './jsonata/expression';
export { resolveQueryLanguages, isJsonata } from './query-language';
