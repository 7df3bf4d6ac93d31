/**
 * Lambda `aios-approval-request`, invoked with `.waitForTaskToken`: stores
 * the approval with the task token and emails each approver their signed
 * link. The workflow waits until a decision sends SendTaskSuccess.
 * Invoked with `{ action: 'expire' }` when the workflow's deadline passed and
 * the definition says reject: closes the approval and audits it.
 */
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { currentOs } from '../current-os';
import { approvalRequestHandler } from './approval-request-function';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return approvalRequestHandler(env, () => currentOs(env.vars));
}

export const handler = createHandler(parseEnvironment(process.env));
