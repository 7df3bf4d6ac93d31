/**
 * Structured JSON log lines, one object per line, with the keys AIOS's log
 * queries read (the same names Powertools for AWS Lambda writes, so queries
 * written for its lines keep working): `level`, `message`, `timestamp`,
 * `service`, the Lambda context (`cold_start`, `function_name`,
 * `function_arn`, `function_memory_size`, `function_request_id`),
 * `correlation_id`, `xray_trace_id`, an `error` object, and any extra keys.
 *
 * Our own, not Powertools': a function logs one line when an invocation fails
 * and Powertools costs about 20 KiB of every bundle for it; this costs 1.
 * Pure: where lines go, the clock and the trace id are given.
 */

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The part of a Lambda invocation's context a log line carries. */
export interface InvocationContext {
  functionName: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string | number;
  awsRequestId: string;
}

export interface JsonLoggerOptions {
  service: string;
  /** Lines below this level are not written (default INFO). An unknown name means INFO. */
  level?: string;
  /** Receives each finished line (no newline) and its level, e.g. to pick stdout or stderr. */
  write: (line: string, level: LogLevel) => void;
  now?: () => Date;
  /** The X-Ray trace id of the current invocation, when there is one. */
  traceId?: () => string | undefined;
}

export type LogExtra = Record<string, unknown> | Error;

function rankOf(level: string | undefined): number {
  const i = LOG_LEVELS.indexOf((level ?? '').toUpperCase() as LogLevel);
  return i < 0 ? LOG_LEVELS.indexOf('INFO') : i;
}

/** An error as a log value: its name, where it was thrown, message, stack and cause. */
export function errorEntry(error: Error): Record<string, unknown> {
  const location = /\(([^)]+:\d+:\d+)\)/.exec(error.stack ?? '')?.[1] ?? '';
  return {
    name: error.name,
    location,
    message: error.message,
    stack: error.stack,
    ...(error.cause instanceof Error ? { cause: errorEntry(error.cause) } : error.cause !== undefined ? { cause: error.cause } : {}),
  };
}

/** Extra keys of a line: an Error goes under `error`; errors among the keys are written as errors too. */
function extraKeys(extra: LogExtra | undefined): Record<string, unknown> {
  if (extra === undefined) return {};
  if (extra instanceof Error) return { error: errorEntry(extra) };
  return Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v instanceof Error ? errorEntry(v) : v]));
}

/**
 * @example
 * const log = new JsonLogger({ service: 'aios-emit-event', write: (line) => process.stdout.write(`${line}\n`) });
 * log.error('invocation failed', new Error('boom'));
 */
export class JsonLogger {
  private readonly threshold: number;
  private readonly now: () => Date;
  private invocation: Record<string, unknown> = {};
  private coldStart = true;

  constructor(private readonly options: JsonLoggerOptions) {
    this.threshold = rankOf(options.level);
    this.now = options.now ?? (() => new Date());
  }

  /** Adds the invocation's Lambda context to every line until `clearInvocation`; the first invocation is the cold start. */
  addContext(context: InvocationContext): void {
    this.invocation = {
      ...this.invocation,
      cold_start: this.coldStart,
      function_name: context.functionName,
      function_arn: context.invokedFunctionArn,
      function_memory_size: Number(context.memoryLimitInMB),
      function_request_id: context.awsRequestId,
    };
    this.coldStart = false;
  }

  /** Ties this invocation's lines to a run (or a request), so one run's lines can be found across functions. */
  setCorrelationId(id: string): void {
    this.invocation = { ...this.invocation, correlation_id: id };
  }

  /** Forgets the keys of the invocation that ended (a warm container serves the next one). */
  clearInvocation(): void {
    this.invocation = {};
  }

  debug(message: string, extra?: LogExtra): void {
    this.log('DEBUG', message, extra);
  }

  info(message: string, extra?: LogExtra): void {
    this.log('INFO', message, extra);
  }

  warn(message: string, extra?: LogExtra): void {
    this.log('WARN', message, extra);
  }

  error(message: string, extra?: LogExtra): void {
    this.log('ERROR', message, extra);
  }

  private log(level: LogLevel, message: string, extra: LogExtra | undefined): void {
    if (rankOf(level) < this.threshold) return;
    const traceId = this.options.traceId?.();
    const base = {
      level,
      message,
      timestamp: this.now().toISOString(),
      service: this.options.service,
      ...this.invocation,
      ...(traceId ? { xray_trace_id: traceId } : {}),
    };
    // The fields every line has come first, and a caller's extra key of the same name does not replace them.
    const line = Object.assign({ ...base, ...extraKeys(extra) }, base);
    let text: string;
    try {
      text = JSON.stringify(line, bigintAsString);
    } catch (error) {
      // A value JSON cannot hold (a cycle): the line is still written, without the extra keys.
      text = JSON.stringify({ ...base, log_error: `extra keys not written: ${(error as Error).message}` });
    }
    this.options.write(text, level);
  }
}

/** BigInts, which JSON cannot hold, are written as text. */
function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
