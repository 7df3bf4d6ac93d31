/**
 * The run contract: every AIOS Lambda's input and output as one zod schema.
 * The compiler writes task payloads against these (see
 * `compiler/task-payload.ts`), the handlers parse with them, and the CLI's run
 * timeline reads history with them.
 */
export * from './run-fields';
export * from './agent-step';
export * from './tool-gate';
export * from './approval-request';
export * from './tool-run';
export * from './emit-event';
export * from './manual-start';
