/**
 * The agent-step Lambda's input and output: the run contract's, re-exported
 * where the agent loop reads them.
 */
export {
  agentStepInputSchema,
  agentStepOutputSchema,
  toolOutcomeSchema,
  type AgentStepInput,
  type AgentStepOutput,
  type StepUsage,
  type ToolCall,
  type ToolOutcome,
} from '../contracts';
