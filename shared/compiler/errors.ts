import { AiosError } from '../errors';

export class CompileError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Compile.Failed', message, details);
  }
}
