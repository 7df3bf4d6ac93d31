/** The approval-request task input: the run contract's, re-exported where the approval service reads it. */
export { approvalExpireInputSchema, approvalRequestInputSchema, type ApprovalExpireInput, type ApprovalRequestInput } from '../contracts/approval-request';
