import { DefinitionInvalidError } from './problems';
import { validateOs, type ValidOs } from './validate';

/**
 * Validates a definition (the default export of `os/index.ts`) and returns it
 * with defaults applied. @throws DefinitionInvalidError listing every problem
 */
export function loadValidOs(definition: unknown): ValidOs {
  const result = validateOs(definition);
  if (!result.ok) throw new DefinitionInvalidError(result.problems);
  return result.os;
}
