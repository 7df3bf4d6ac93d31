/** Lambda `aios-tool-gate`: decision rights for one tool call (see gate.ts), over the whole definition. */
import { currentOs } from '../current-os';
import { gateFunctionHandler } from './gate-function';

export const handler = gateFunctionHandler(currentOs);
