/**
 * A map step: its steps run once per item of an array in the state; each
 * iteration sees the run's `event` and `run`, its `item` and `index`, and
 * its own `steps`. The result is the array of each iteration's `steps`.
 */
import type { MapStep } from '../../definition/workflow';
import { jsonPath } from '../asl';
import type { StepCompiler } from '../step-compiler';
import { recovery } from './recovery';

export const compileMapStep: StepCompiler<MapStep> = (step, { title: t, next, catches }, { branch }) => ({
  [t]: {
    Type: 'Map',
    ItemsPath: jsonPath(step.items),
    ItemSelector: { 'event.$': '$.event', 'run.$': '$.run', 'item.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', steps: {}, loops: {} },
    ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...branch(step.steps, `${t}: item done`) },
    ...(step.maxConcurrency !== undefined ? { MaxConcurrency: step.maxConcurrency } : {}),
    ResultPath: `$.steps.${step.id}`,
    ...recovery(step.retry, catches),
    Next: next,
  },
});
