/** Lambda `aios-approval-http`: the approval pages at `/approvals/<id>` (see route.ts), over the whole definition. */
import { currentOs } from '../current-os';
import { approvalHttpHandler } from './approval-http-function';

export const handler = approvalHttpHandler(currentOs);
