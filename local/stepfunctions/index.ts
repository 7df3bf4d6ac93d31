/**
 * The local, durable Step Functions: engine, SQLite store and the
 * AWSStepFunctions JSON service.
 *
 * @example
 * const sfn = openStepFunctions({ dataDir: '.aios', functions: registry });
 * sfn.engine.startExecution({ stateMachineArn, input: '{}' });
 */
import path from 'node:path';
import type { FunctionRegistry } from '../functions';
import { StepFunctionsEngine } from './engine';
import { stepFunctionsService } from './service';
import { ExecutionStore } from './store';

export { StepFunctionsEngine, type StartExecutionInput, type ExecutionStatus } from './engine';
export { ExecutionStore, type ExecutionRow } from './store';
export { stepFunctionsService } from './service';
export { stateMachineArn, executionArn, type ArnScope } from './arns';

export interface LocalStepFunctions {
  engine: StepFunctionsEngine;
  store: ExecutionStore;
  service: ReturnType<typeof stepFunctionsService>;
  /** Stops timers and closes the database. */
  close(): void;
}

/**
 * Opens `<dataDir>/stepfunctions.sqlite` (or an in-memory store when dataDir
 * is `:memory:`), resumes every RUNNING execution (unless `resume: false`), and
 * returns the engine and its API service.
 */
export function openStepFunctions(options: {
  dataDir: string;
  functions: FunctionRegistry;
  /** Default true; false leaves `engine.resume()` to the caller, once what resumed work needs is up. */ resume?: boolean;
}): LocalStepFunctions {
  const file = options.dataDir === ':memory:' ? ':memory:' : path.join(options.dataDir, 'stepfunctions.sqlite');
  const store = new ExecutionStore(file);
  const engine = new StepFunctionsEngine({ store, functions: options.functions });
  if (options.resume !== false) engine.resume();
  return {
    engine,
    store,
    service: stepFunctionsService(engine),
    close() {
      engine.close();
      store.close();
    },
  };
}
