/**
 * What one tool's Lambda role needs. Every tool reads the state table (the
 * approval that allowed the call) and writes its run's records there
 * (idempotency claims and results)
 * and appends audit records; built-in tools add what their handler calls;
 * any tool adds the IAM statements its definition declares (`permissions`).
 */
import type { Tool } from '../definition';
import { emailSend } from '../tools/builtins/email-send';
import { eventsEmit } from '../tools/builtins/events-emit';
import { knowledgeRemember, knowledgeSearch } from '../tools/builtins/knowledge';
import type { Need } from './function-specs';

const BUILT_IN_NEEDS: readonly { handler: unknown; id: string; needs: readonly Need[] }[] = [
  { handler: emailSend.handler, id: emailSend.id, needs: ['email'] },
  { handler: eventsEmit.handler, id: eventsEmit.id, needs: ['bus'] },
  { handler: knowledgeSearch.handler, id: knowledgeSearch.id, needs: ['knowledgeRead'] },
  // remember re-reads the namespace to deduplicate before writing
  { handler: knowledgeRemember.handler, id: knowledgeRemember.id, needs: ['knowledgeRead', 'knowledgeWrite'] },
];

/**
 * The needs of a tool's function. A built-in is recognised by its handler
 * (the definition may spread it with its own config) or, failing that, its id.
 */
export function toolNeeds(tool: Pick<Tool, 'id' | 'handler'>): Need[] {
  const builtIn = BUILT_IN_NEEDS.find((b) => b.handler === tool.handler) ?? BUILT_IN_NEEDS.find((b) => b.id === tool.id);
  return ['runRecords', 'audit', ...(builtIn?.needs ?? [])];
}
