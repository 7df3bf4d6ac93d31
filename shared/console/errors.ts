/** Typed errors of the console; the name is the stable code. */
import { AiosError } from '../errors';

export class ConsoleForbiddenError extends AiosError {
  constructor(what: string) {
    super('Console.Forbidden', `not allowed: ${what}`, { what });
  }
}

export class ConsoleNotFoundError extends AiosError {
  constructor(what: string) {
    super('Console.NotFound', `not found: ${what}`, { what });
  }
}

export class ConsoleBadInputError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Console.BadInput', message, details);
  }
}
