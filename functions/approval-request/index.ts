/**
 * Lambda `aios-approval-request`, invoked with `.waitForTaskToken`: stores
 * the approval with the task token and emails each approver their signed
 * link. The workflow waits until a decision sends SendTaskSuccess.
 */
import middy from '@middy/core';
import { requestApproval } from '../../shared/approvals/approval-service';
import { runtimeApprovalDeps } from '../../shared/approvals/runtime-deps';
import { currentOs } from '../current-os';

export const handler = middy(async (event: unknown) => requestApproval(runtimeApprovalDeps(currentOs()), event));
