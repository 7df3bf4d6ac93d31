/**
 * Lambda `aios-approval-request`, invoked with `.waitForTaskToken`: stores
 * the approval with the task token and emails each approver their signed
 * link. The workflow waits until a decision sends SendTaskSuccess.
 * Invoked with `{ action: 'expire' }` when the workflow's deadline passed and
 * the definition says reject: closes the approval and audits it.
 */
import { currentOs } from '../current-os';
import { approvalRequestHandler } from './approval-request-function';

export const handler = approvalRequestHandler(currentOs);
