/**
 * Delivers matched events to targets through injected ports (the local
 * runtime connects them to its Step Functions engine and function registry).
 * A failing delivery is retried with backoff, then recorded as failed; it
 * never fails the PutEvents call that caused it.
 */
import type { DeliveryRecord, TargetRecord } from './eventbridge-store';

/** The two ways the local EventBridge reaches a target. */
export interface EventTargetPorts {
  /** Starts a Step Functions execution; `input` is the execution input (JSON text). */
  startExecution(request: { stateMachineArn: string; input: string }): Promise<unknown>;
  /** Invokes a local function by name (`aios-tool-refunds-issue`) with its event payload. */
  invokeFunction(name: string, payload: unknown): Promise<unknown>;
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the second try; doubles each time. */
  delayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, delayMs: 200 };

export type TargetKind = { kind: 'state-machine'; arn: string } | { kind: 'function'; name: string };

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:stateMachine:[A-Za-z0-9_.-]+$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/;

/** What a target ARN points at locally, or null for kinds the local runtime cannot deliver to. */
export function targetKind(arn: string): TargetKind | null {
  if (STATE_MACHINE_ARN.test(arn)) return { kind: 'state-machine', arn };
  const fn = FUNCTION_ARN.exec(arn);
  if (fn) return { kind: 'function', name: fn[1] };
  return null;
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface DeliveryRequest {
  eventId: string;
  bus: string;
  rule: string;
  target: TargetRecord;
  input: string;
}

/** Sends one input to one target with retries; resolves to the record to keep (never rejects). */
export async function deliverToTarget(ports: EventTargetPorts, request: DeliveryRequest, retry: RetryPolicy, now: () => number): Promise<DeliveryRecord> {
  const kind = targetKind(request.target.Arn);
  let attempts = 0;
  let error: string | null = kind ? null : `target ARN ${request.target.Arn} is not a state machine or function the local runtime can reach`;
  while (kind && attempts < retry.attempts) {
    if (attempts > 0) await sleep(retry.delayMs * 2 ** (attempts - 1));
    attempts++;
    try {
      if (kind.kind === 'state-machine') await ports.startExecution({ stateMachineArn: kind.arn, input: request.input });
      else await ports.invokeFunction(kind.name, parseOrText(request.input));
      error = null;
      break;
    } catch (caught) {
      const e = caught as { name?: string; message?: string };
      error = `${e?.name ?? 'Error'}: ${e?.message ?? String(caught)}`;
    }
  }
  return {
    eventId: request.eventId,
    bus: request.bus,
    rule: request.rule,
    targetId: request.target.Id,
    targetArn: request.target.Arn,
    status: error === null ? 'delivered' : 'failed',
    attempts,
    error,
    at: now(),
  };
}
