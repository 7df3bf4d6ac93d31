/** The local SES v2 endpoint (SendEmail → `.eml` outbox, optional SMTP delivery). */
export { createSesApp, configuredSmtpUrl, type SesAppOptions } from './ses-app';
export { outboxDir, outboxFileName, newMessageId, type DeliveryRecord } from './outbox';
export { parseSendEmailRequest, MAX_RECIPIENTS, MAX_MESSAGE_BYTES, type SendEmailRequest } from './send-email-request';
export { composeMessage, type ComposedMessage } from './compose-message';
