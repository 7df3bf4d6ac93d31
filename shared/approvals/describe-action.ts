/**
 * The action an approver is asked about, as the sentence a person needs:
 * the tool's own `describe(input)` ("Refund $64.00 on order KC-10482")
 * when it declares one, else the tool and every top-level field of its
 * input, values uncut. Never the tool's model-facing description. Plain
 * text; callers escape it for HTML.
 */
import type { Approval } from './approval';

/** `describe` of each tool that declares one, by tool id. */
export type ToolDescribers = Readonly<Record<string, (input: unknown) => string>>;

function scalar(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? `[${value.length} items]` : '{…}';
}

function flat(text: string): string {
  return text
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** The tool's own sentence, when it declares `describe` and it gives a non-empty string for this input. */
function declared(call: NonNullable<Approval['call']>, describers: ToolDescribers | undefined): string | undefined {
  const describe = describers?.[call.name];
  if (!describe) return undefined;
  try {
    const sentence = describe(call.input);
    return typeof sentence === 'string' && sentence.trim() ? flat(sentence) : undefined;
  } catch {
    // A describe that throws on odd input falls back to the plain listing, never hides the request.
    return undefined;
  }
}

/** One line saying what will happen if the approver says yes. */
export function describeAction(approval: Pick<Approval, 'call' | 'subject' | 'stepId'>, describers?: ToolDescribers): string {
  if (!approval.call) return approval.subject ? flat(approval.subject) : `Continue past step "${approval.stepId}"`;
  const sentence = declared(approval.call, describers);
  if (sentence) return sentence;
  const input = approval.call.input;
  const args =
    input && typeof input === 'object' && !Array.isArray(input)
      ? Object.entries(input as Record<string, unknown>)
          .map(([k, v]) => `${k} ${scalar(v)}`)
          .join(', ')
      : scalar(input);
  return flat(`${approval.call.name} with ${args || 'no input'}`);
}

/** Who asks: the agent, or the workflow for a plain approval step. */
export function requester(approval: Pick<Approval, 'agentId' | 'workflowId'>): string {
  return approval.agentId ? `agent "${approval.agentId}" in workflow "${approval.workflowId}"` : `workflow "${approval.workflowId}"`;
}
