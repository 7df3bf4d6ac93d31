/** Lambda `aios-tool-gate`: decision rights for one tool call (see gate.ts), over the whole definition. */
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { currentOs } from '../current-os';
import { gateFunctionHandler } from './gate-function';
import { gateDefinitionOf } from './whole-definition';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return gateFunctionHandler(env, () => gateDefinitionOf(currentOs(env.vars)));
}

export const handler = createHandler(parseEnvironment(process.env));
