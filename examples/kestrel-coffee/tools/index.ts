import { emailSend } from '../../../shared/tools/builtins/email-send';
import { eventsEmit } from '../../../shared/tools/builtins/events-emit';
import { httpRequest } from '../../../shared/tools/builtins/http-request';
import { knowledgeRemember, knowledgeSearch } from '../../../shared/tools/builtins/knowledge';
import { addCrmNote } from './crm';
import { issueRefund } from './refunds';
import { replyToTicket } from './tickets';

export const tools = [
  knowledgeSearch,
  knowledgeRemember,
  // Sent from the deployment's verified sender (AIOS_EMAIL_FROM, the CDK context value senderEmail).
  emailSend,
  { ...httpRequest, config: { allowedHosts: ['api.kestrel.coffee'], maxResponseBytes: 65_536, timeoutMs: 8_000 } },
  eventsEmit,
  issueRefund,
  replyToTicket,
  addCrmNote,
] as const;
