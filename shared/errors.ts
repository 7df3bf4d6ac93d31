/**
 * Base of every typed error in AIOS. `code` is stable (tests, Step Functions
 * Catch clauses and CLI output match on it); `name` mirrors it so that a Lambda
 * error surfaces in Step Functions with the code as its Error.
 *
 * @example
 * class UnknownToolError extends AiosError {
 *   constructor(id: string) { super('Tool.Unknown', `no tool named "${id}"`, { id }); }
 * }
 */
export class AiosError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = code;
    this.details = details;
  }
}

export function isAiosError(error: unknown, code?: string): error is AiosError {
  return error instanceof AiosError && (code === undefined || error.code === code);
}
