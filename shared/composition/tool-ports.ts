/**
 * What tools act through in an environment: SES for `email.send`, the bus
 * for `events.emit`, the knowledge store for `knowledge.*`. Only the tool
 * functions take it, so only their bundle carries these clients.
 */
import type { ToolPorts } from '../definition/tool';
import type { AiosEnvironment } from './environment';
import { sendEmail } from './mailer';
import { eventPublisher } from './publisher';
import { knowledgeStore } from './knowledge';

export function toolPorts(env: AiosEnvironment): ToolPorts {
  return { sendEmail: sendEmail(env), publisher: eventPublisher(env), knowledge: knowledgeStore(env) };
}
