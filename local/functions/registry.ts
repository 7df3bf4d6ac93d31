/**
 * The function registry: Lambda function names → in-process handlers. Tasks
 * never reach the network: an unknown name fails with
 * Lambda.ResourceNotFoundException, as Lambda would answer.
 */
import { FunctionNotFoundError } from './errors';
import { copyOfEvent } from './event-copy';
import { lambdaContext, type LocalLambdaContext, type TaskIdentity } from './lambda-context';

/** A Lambda handler: `async (event, context) => result`. */
export type LambdaHandler = (event: unknown, context: LocalLambdaContext) => unknown;

/** A function error as Lambda reports it to Step Functions. */
export interface FunctionFailure {
  error: string;
  /** `{"errorMessage","errorType","trace"}` as JSON, as Lambda reports an unhandled error. */
  cause: string;
}

export type InvokeResult = { ok: true; payload: unknown } | { ok: false; failure: FunctionFailure };

export interface InvokeOptions {
  requestId: string;
  timeoutMs?: number;
  task?: TaskIdentity;
}

/** Lambda's report of a thrown value: error name as Error, JSON errorMessage/errorType/trace as Cause. */
export function lambdaFailure(error: unknown): FunctionFailure {
  if (error instanceof Error) {
    const errorType = error.name || 'Error';
    const trace = (error.stack ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    return { error: errorType, cause: JSON.stringify({ errorMessage: error.message, errorType, trace }) };
  }
  const message = typeof error === 'string' ? error : JSON.stringify(error);
  return { error: 'Error', cause: JSON.stringify({ errorMessage: message, errorType: 'Error', trace: [] }) };
}

/** A handler's result as it reads after Lambda serialises it to JSON and back (strings, booleans and finite numbers stay as they are). */
function asLambdaReturns(payload: unknown): unknown {
  if (payload === undefined || payload === null) return null;
  if (typeof payload === 'string' || typeof payload === 'boolean') return payload;
  // JSON has no -0, NaN or Infinity: 0, null and null.
  if (typeof payload === 'number') return Number.isFinite(payload) ? payload + 0 : null;
  return JSON.parse(JSON.stringify(payload)) as unknown;
}

/** A handler's result as Lambda returns it; a result Lambda could not serialise (a cycle) is its failure. */
function succeeded(payload: unknown): InvokeResult {
  try {
    // Lambda serialises the result: undefined becomes null, Dates become strings.
    return { ok: true, payload: asLambdaReturns(payload) };
  } catch (error) {
    return failed(error);
  }
}

function failed(error: unknown): InvokeResult {
  return { ok: false, failure: lambdaFailure(error) };
}

export class FunctionRegistry {
  private readonly handlers = new Map<string, LambdaHandler>();

  constructor(
    readonly region = process.env.AWS_REGION ?? 'us-east-1',
    readonly accountId = '123456789012',
  ) {}

  /**
   * Registers (or replaces) a handler.
   * @example registry.register('aios-echo', async (event) => event);
   */
  register(name: string, handler: LambdaHandler): void {
    if (typeof handler !== 'function') throw new TypeError(`handler for ${name} is not a function`);
    this.handlers.set(name, handler);
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  names(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /**
   * Invokes a function; never throws (failures come back as Lambda reports them). Not an async function: its frame and
   * the promise it awaits were a third of an in-process invocation's garbage (a Map over 1,000 items makes 1,000); the
   * handler is called at once, as before, and its outcome read through one `then`.
   */
  invoke(name: string, event: unknown, options: InvokeOptions): Promise<InvokeResult> {
    const handler = this.handlers.get(name);
    if (!handler) {
      const e = new FunctionNotFoundError(name);
      return Promise.resolve({ ok: false, failure: { error: 'Lambda.ResourceNotFoundException', cause: e.message } });
    }
    const context = lambdaContext({
      functionName: name,
      region: this.region,
      accountId: this.accountId,
      requestId: options.requestId,
      timeoutMs: options.timeoutMs ?? 900_000,
      task: options.task,
    });
    let returned: unknown;
    try {
      // Handlers get their own copy: a handler mutating its event must not change engine state.
      // (A primitive cannot be mutated: only objects are copied, the common case of a Map item costs nothing; plain JSON is copied directly.)
      returned = handler(copyOfEvent(event), context);
    } catch (error) {
      return Promise.resolve(failed(error));
    }
    return Promise.resolve(returned).then(succeeded, failed);
  }
}
