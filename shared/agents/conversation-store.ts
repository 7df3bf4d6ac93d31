/**
 * An agent's conversation in one run, on the `Table` port (the `state`
 * table): the messages and tool results live here, never in the Step
 * Functions state, which carries only the run id and the turn.
 *
 * Layout under pk `run#<runId>`, one conversation per agent and workflow step
 * (the same agent in two steps of a run holds two conversations):
 * - `conv#<agentId>#<stepId>#<seq>` one message each (seq zero-padded), tagged with the turn that wrote it;
 *   the first also holds what the first turn retrieved (knowledge), so later turns send the same prompt;
 * - `ctx#<agentId>#<stepId>` that knowledge instead, when it would make the first message's item too big
 *   (and for conversations stored before it went with the message: read when the first message has none).
 */
import { queryAll, type Table } from '../storage/table';
import type { Message } from './converse-shapes';
import type { KnowledgeExcerpt } from './knowledge-port';

export interface StoredMessage {
  seq: number;
  turn: number;
  message: Message;
  /** Tool calls of this assistant message that agent-step refused itself (not one of the agent's tools). */
  refused?: { toolUseId: string; message: string }[];
  /** On the first message: what the first turn retrieved. Kept in its item, not one of its own: a write and a read less a step. */
  knowledge?: KnowledgeExcerpt[];
}

/** Characters of a first message's item beyond which its knowledge is kept in an item of its own (an item holds 400 KB). */
const INLINE_KNOWLEDGE_LIMIT = 300_000;

export interface ConversationContext {
  knowledge: KnowledgeExcerpt[];
}

const SEQ_WIDTH = 6;

export function runPk(runId: string): string {
  return `run#${runId}`;
}

/** Which conversation: an agent in one step of a run. */
export interface ConversationRef {
  runId: string;
  agentId: string;
  stepId: string;
}

function prefix(ref: ConversationRef): string {
  return `conv#${ref.agentId}#${ref.stepId}#`;
}

function messageSk(ref: ConversationRef, seq: number): string {
  return `${prefix(ref)}${String(seq).padStart(SEQ_WIDTH, '0')}`;
}

function contextSk(ref: ConversationRef): string {
  return `ctx#${ref.agentId}#${ref.stepId}`;
}

export class ConversationStore {
  constructor(private readonly table: Table) {}

  /** Every message of the agent in the run, oldest first. */
  async load(ref: ConversationRef): Promise<StoredMessage[]> {
    const items = await queryAll(this.table, runPk(ref.runId), { skPrefix: prefix(ref) });
    return items.map((i) => ({
      seq: i.seq as number,
      turn: i.turn as number,
      message: i.message as Message,
      ...(i.refused ? { refused: i.refused as StoredMessage['refused'] } : {}),
      ...(Array.isArray(i.knowledge) ? { knowledge: i.knowledge as KnowledgeExcerpt[] } : {}),
    }));
  }

  /**
   * Appends one message. The conditional write refuses a second writer of
   * the same seq (a concurrent duplicate invocation) with ConditionFailedError.
   */
  async append(ref: ConversationRef, entry: StoredMessage): Promise<void> {
    let knowledge = entry.knowledge;
    if (knowledge && JSON.stringify(entry).length > INLINE_KNOWLEDGE_LIMIT) {
      await this.saveContext(ref, { knowledge });
      knowledge = undefined;
    }
    await this.table.put(
      {
        pk: runPk(ref.runId),
        sk: messageSk(ref, entry.seq),
        seq: entry.seq,
        turn: entry.turn,
        message: entry.message,
        ...(entry.refused && entry.refused.length > 0 ? { refused: entry.refused } : {}),
        ...(knowledge ? { knowledge } : {}),
      },
      { itemExists: false },
    );
  }

  /**
   * Removes what an earlier, failed attempt of `turn` (or later) left behind,
   * so that a retried Lambda rebuilds the turn instead of duplicating it.
   */
  async discardFromTurn(ref: ConversationRef, turn: number, loaded: StoredMessage[]): Promise<StoredMessage[]> {
    const kept: StoredMessage[] = [];
    for (const m of loaded) {
      if (m.turn >= turn) await this.table.delete({ pk: runPk(ref.runId), sk: messageSk(ref, m.seq) });
      else kept.push(m);
    }
    return kept;
  }

  /** Every conversation of a run with its stored knowledge (for reading a run back: the console, `aios runs conversation`). */
  async ofRun(runId: string): Promise<{ agentId: string; stepId: string; messages: StoredMessage[]; knowledge: KnowledgeExcerpt[] }[]> {
    const items = await queryAll(this.table, runPk(runId), { skPrefix: 'c' });
    const byRef = new Map<string, { agentId: string; stepId: string; messages: StoredMessage[]; knowledge: KnowledgeExcerpt[] }>();
    const refOf = (agentId: string, stepId: string) => {
      const key = `${agentId}#${stepId}`;
      const found = byRef.get(key) ?? { agentId, stepId, messages: [], knowledge: [] };
      byRef.set(key, found);
      return found;
    };
    for (const i of items) {
      const conv = /^conv#([^#]+)#(.+)#(\d+)$/.exec(i.sk);
      const ctx = /^ctx#([^#]+)#(.+)$/.exec(i.sk);
      if (conv) {
        const found = refOf(conv[1], conv[2]);
        found.messages.push({
          seq: i.seq as number,
          turn: i.turn as number,
          message: i.message as Message,
          ...(i.refused ? { refused: i.refused as StoredMessage['refused'] } : {}),
        });
        // The first message's knowledge; a `ctx#` item (sorted after) is the knowledge of a conversation that has one.
        if (Array.isArray(i.knowledge)) found.knowledge = i.knowledge as KnowledgeExcerpt[];
      } else if (ctx) refOf(ctx[1], ctx[2]).knowledge = (i.knowledge as KnowledgeExcerpt[] | undefined) ?? [];
    }
    for (const c of byRef.values()) c.messages.sort((a, b) => a.seq - b.seq);
    return [...byRef.values()].filter((c) => c.messages.length > 0);
  }

  async saveContext(ref: ConversationRef, context: ConversationContext): Promise<void> {
    await this.table.put({ pk: runPk(ref.runId), sk: contextSk(ref), knowledge: context.knowledge });
  }

  async loadContext(ref: ConversationRef): Promise<ConversationContext | undefined> {
    const item = await this.table.get({ pk: runPk(ref.runId), sk: contextSk(ref) });
    return item ? { knowledge: (item.knowledge as KnowledgeExcerpt[] | undefined) ?? [] } : undefined;
  }
}
