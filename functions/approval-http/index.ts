/** Lambda `aios-approval-http`: the approval pages at `/approvals/<id>` (see route.ts), over the whole definition. */
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { currentOs } from '../current-os';
import { approvalHttpHandler } from './approval-http-function';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return approvalHttpHandler(env, () => currentOs(env.vars));
}

export const handler = createHandler(parseEnvironment(process.env));
