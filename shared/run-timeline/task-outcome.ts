/**
 * One-line descriptions of Lambda task calls and results in a run's
 * history, recognising the payloads of AIOS's own functions (agent-step,
 * tool-gate, approval-request, tool runs, emit-event) by parsing them with
 * the run contract's schemas, and falling back to compact JSON for anything else.
 */
import { agentStepOutput, approvalOutcome, approvalRequestInput, emitEventOutput, toolGateOutput, toolRunOutput } from '../../shared/contracts';
import type { ApprovalRequestInput } from '../../shared/contracts';
import { CLIP_CHARS, clip } from '../look/clip';
import { parseJsonDetail } from './history-event';

function contractSchemas() {
  return {
    approvalRequest: approvalRequestInput(),
    agentStep: agentStepOutput(),
    toolGate: toolGateOutput(),
    approval: approvalOutcome(),
    toolRun: toolRunOutput(),
    emitEvent: emitEventOutput(),
  };
}

// The contract's schemas, built when a run's history is first read: a Lambda that loads this module (the console) does not
// build them while it loads (test/unit/runs/run-timeline.test.ts reads each kind of task through them).
let schemas: ReturnType<typeof contractSchemas> | undefined;
const contract = () => (schemas ??= contractSchemas());

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `arn:aws:lambda:…:function:aios-agent-step:$LATEST` → `aios-agent-step`. */
export function functionName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const m = /:function:([^:]+)/.exec(value);
  return m ? m[1] : value;
}

export interface ScheduledTask {
  /** What is called: the Lambda function name, else the resource. */
  target: string;
  /** The Payload sent (for lambda:invoke), or the parameters. */
  payload: Record<string, unknown> | undefined;
  /** A `.waitForTaskToken` task: the run waits for SendTaskSuccess/Failure. */
  waitsForToken: boolean;
  /** Set when the task asks people to approve. */
  approval?: string;
}

/** Reads a TaskScheduled or LambdaFunctionScheduled event's details. */
export function scheduledTask(type: string, details: Record<string, unknown>): ScheduledTask {
  const resource = String(details.resource ?? '');
  if (type === 'LambdaFunctionScheduled') {
    return { target: functionName(resource) ?? 'lambda', payload: record(parseJsonDetail(details.input)), waitsForToken: false };
  }
  const parameters = record(parseJsonDetail(details.parameters));
  const waitsForToken = resource.endsWith('.waitForTaskToken');
  const target = functionName(parameters?.FunctionName) ?? (resource || 'task');
  const payload = record(parameters?.Payload) ?? parameters;
  const task: ScheduledTask = { target, payload, waitsForToken };
  const request = waitsForToken ? contract().approvalRequest.safeParse(payload) : undefined;
  if (request?.success) task.approval = describeApprovalRequest(request.data);
  return task;
}

function describeApprovalRequest(p: ApprovalRequestInput): string {
  const call = p.call;
  const what = call ? `${call.name}${call.input !== undefined ? ` ${clip(JSON.stringify(call.input), 60)}` : ''}` : clip(p.subject ?? 'a decision', 60);
  const approvers = p.approvers.join(', ');
  const quorum = p.quorum > 1 ? `, ${p.quorum} needed` : '';
  const timeout = `, deadline in ${humanSeconds(p.timeoutSeconds)}`;
  const stage = p.stage === 'escalation' ? 'escalated approval' : 'approval';
  return `waiting for ${stage} of ${what} by ${approvers || 'nobody'}${quorum}${timeout}`;
}

function humanSeconds(s: number): string {
  if (s % 86_400 === 0) return `${s / 86_400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** The function's own result: lambda:invoke wraps it as `{ Payload, StatusCode, … }`. */
function unwrap(output: unknown): unknown {
  const r = record(output);
  return r && 'Payload' in r && ('StatusCode' in r || 'ExecutedVersion' in r) ? r.Payload : output;
}

/** A short description of a task's successful output; `terse` leaves out reasons (for one-line summaries). */
export function describeTaskOutput(outputJson: unknown, terse = false): string {
  const raw = parseJsonDetail(outputJson);
  const out = unwrap(raw);
  const r = record(out);
  if (r) {
    const step = contract().agentStep.safeParse(r);
    if (step.success) {
      const { status, turn, toolCalls, usage } = step.data;
      const calls = toolCalls.map((c) => c.name);
      const tokens = `, ${usage.inputTokens} in / ${usage.outputTokens} out tokens`;
      return status === 'done'
        ? `turn ${turn}: done${tokens}`
        : `turn ${turn}: ${calls.length} tool call${calls.length === 1 ? '' : 's'} (${calls.join(', ')})${tokens}`;
    }
    const gate = contract().toolGate.safeParse(r);
    if (gate.success) {
      const { decision, ruleId, reason } = gate.data;
      if (terse) return `${decision}${ruleId ? ` (${ruleId})` : ''}`;
      return clip(`${decision} by ${ruleId ? `rule ${ruleId}` : 'default'}${reason ? `: ${reason}` : ''}`);
    }
    const approval = contract().approval.safeParse(r);
    if (approval.success) {
      const { approved, decidedBy } = approval.data;
      return `${approved ? 'approved' : 'rejected'}${decidedBy.length ? ` by ${decidedBy.join(', ')}` : ''}`;
    }
    const ran = contract().toolRun.safeParse(r);
    if (ran.success) {
      const text = `${ran.data.status}: ${ran.data.message}`;
      // A tool's failure is what a person acts on (a missing secret names where it was looked for): whole, as describeError.
      return clip(text, ran.data.status === 'error' ? Infinity : terse ? 60 : CLIP_CHARS);
    }
    const emitted = contract().emitEvent.safeParse(r);
    if (emitted.success && Object.keys(r).length === 2)
      return emitted.data.duplicateOf ? `duplicate of run ${emitted.data.duplicateOf}` : `event ${emitted.data.eventId}`;
  }
  if (out === undefined) return typeof outputJson === 'string' ? clip(outputJson) : '';
  return clip(JSON.stringify(out));
}

/**
 * `Error: cause` on one line, the cause's `errorMessage` when it is a Lambda error JSON.
 * Never cut: an error is what a person acts on (a missing recording names its key and draft).
 */
export function describeError(error: unknown, cause: unknown): string {
  const e = typeof error === 'string' && error ? error : 'error';
  if (typeof cause !== 'string' || cause === '') return e;
  const parsed = record(parseJsonDetail(cause));
  const message = parsed && typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  return `${e}: ${message}`.replace(/\s+/g, ' ').trim();
}
