/** The agent loop's domain: one think step, its conversation and usage stores, prompts, prices. */
export { runAgentStep, type AgentStepDeps, type StepAgent } from './agent-step';
export { ConversationStore, type ConversationRef, type StoredMessage } from './conversation-store';
export { UsageLedger, type ModelCallRecord, type UsageTotals } from './usage-ledger';
export { agentStepInputSchema, type AgentStepInput, type AgentStepOutput, type ToolCall, type ToolOutcome } from './step-contract';
export { agentPrice, costAt, costOf, baseModelId, priceOf, PRICE_TABLE, type ModelPrice, type PriceOverride } from './prices';
export { bedrockToolName, toolIdFromBedrockName, toolNameMap } from './tool-names';
export { toolConfigFor, type ToolForModel } from './tool-config';
export { agentForModel, toJsonSchema, toolForModel } from './json-schema';
export type { KnowledgeExcerpt, KnowledgeSearch } from './knowledge-port';
export type { ConverseRequest, ConverseResponse, Message, ContentBlock } from './converse-shapes';
export * from './errors';
