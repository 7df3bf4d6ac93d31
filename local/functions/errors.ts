import { AiosError } from '../../shared/errors';

/** A Task named a function nobody registered (Lambda's own error name). */
export class FunctionNotFoundError extends AiosError {
  constructor(name: string) {
    super('Lambda.ResourceNotFoundException', `Function not found: ${name}`, { name });
    this.name = 'Lambda.ResourceNotFoundException';
  }
}

/** AIOS_FUNCTIONS points at a module that cannot be loaded or exports no handlers. */
export class FunctionModuleError extends AiosError {
  constructor(path: string, why: string) {
    super('Functions.ModuleInvalid', `AIOS_FUNCTIONS module ${path}: ${why}`, { path });
  }
}
