export { defineAgent, type Agent, type AgentDefinition } from './agent';
export { defineOs, type OsDefinition } from './define-os';
export { defineCatalog, when, type ApproverRef } from './dsl';
export { type KnowledgeNamespace } from './knowledge';
export { loadValidOs } from './load';
export { definePerson, type Person } from './person';
export { DefinitionInvalidError, formatProblems, type DefinitionProblem } from './problems';
export { defineTool, toolFunctionName, toolPlaceholder, type SideEffect, type Tool, type ToolContext, type ToolDefinition } from './tool';
export { validateOs, type ValidOs } from './validate';
export type { Condition, Ref, Step, Template, Trigger, Workflow } from './workflow';
// The zod the definition is validated with, so a definition kept outside this repository
// (`aios init <folder>`) writes its schemas with the same copy.
export { z } from 'zod';
