/** Approvals by signed email links: records, quorum, escalation, pages, emails. */
export * from './approval';
export { approvalRequestInputSchema, type ApprovalRequestInput } from './approval-request';
export { ApprovalStore, newApprovalId } from './approval-store';
export {
  assertApprovalCovers,
  decide,
  expireApproval,
  requestApproval,
  submitApproval,
  viewApproval,
  type ApprovalDeps,
  type ApprovalRequestDeps,
  type ApprovalPerson,
  type DecideInput,
  type DecideResult,
  type Mailer,
  type RequestApprovalResult,
  type TaskNotifier,
} from './approval-service';
export { ANSWER_MARGIN_MS, RETRY_AFTER_SECONDS, submitApprovalInTime, viewApprovalInTime, type AnswerTime } from './answer-in-time';
export { approvalUrl, checkLink, formToken, signLink, type LinkCheck, type LinkClaims, type SigningKeyPort } from './signed-link';
export { renderApprovalEmail, type ApprovalEmail } from './render-email';
export { describeAction, requester, type ToolDescribers } from './describe-action';
export { PAGE_HEADERS, type Page } from './render-page';
export { escapeHtml } from './html';
export { ApprovalMismatchError, ApprovalNotFoundError, ApprovalRefusedError, InvalidApprovalRequestError } from './errors';
// The real adapters (SES, Step Functions, secrets) are built by the composition root (shared/composition), so importing
// the approvals domain does not bundle those SDK clients.
