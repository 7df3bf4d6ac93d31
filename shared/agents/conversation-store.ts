/**
 * An agent's conversation in one run, on the `Table` port (the `state`
 * table): the messages and tool results live here, never in the Step
 * Functions state, which carries only the run id and the turn.
 *
 * Layout under pk `run#<runId>`, one conversation per agent and workflow step
 * (the same agent in two steps of a run holds two conversations):
 * - `conv#<agentId>#<stepId>#<seq>` the messages one turn wrote (seq zero-padded, the turn's first): the
 *   first in the item's own fields, tagged with its turn, the rest of the turn in `followedBy` (one write a
 *   turn: a turn's messages were an item each, written one by one); conversations stored before hold one
 *   message an item. The first also holds what the first turn retrieved (knowledge), so later turns send the same prompt;
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
  /** Set when loaded from the item of an earlier message of its turn (that message's seq): the message has no item of its own. */
  storedWith?: number;
}

/** A message kept in the item of its turn's first message. */
interface FollowingMessage {
  seq: number;
  message: Message;
  refused?: StoredMessage['refused'];
}

/** Characters of a first message's item beyond which its knowledge is kept in an item of its own (an item holds 400 KB). */
const INLINE_KNOWLEDGE_LIMIT = 300_000;
/** Characters of a turn's messages beyond which each is written to an item of its own, as one message always was. */
const ONE_ITEM_LIMIT = 300_000;

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

/**
 * The item of a conversation's first message. A conversation holds anything only if it holds this item: messages are
 * written in order from it, and `discardFromTurn` deletes it last. So a first turn that finds it absent needs no query.
 */
export function firstMessageKey(ref: ConversationRef): { pk: string; sk: string } {
  return { pk: runPk(ref.runId), sk: messageSk(ref, 1) };
}

function contextSk(ref: ConversationRef): string {
  return `ctx#${ref.agentId}#${ref.stepId}`;
}

/**
 * The conversations of a run read back (the console, `aios runs conversation`): ConversationStore's reading side alone,
 * so the console's bundle carries none of the agent step's writes.
 */
export class RunConversations {
  constructor(protected readonly table: Table) {}

  /** Every conversation of a run with its stored knowledge. */
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
        found.messages.push(
          {
            seq: i.seq as number,
            turn: i.turn as number,
            message: i.message as Message,
            ...(i.refused ? { refused: i.refused as StoredMessage['refused'] } : {}),
          },
          ...following(i),
        );
        // The first message's knowledge; a `ctx#` item (sorted after) is the knowledge of a conversation that has one.
        if (Array.isArray(i.knowledge)) found.knowledge = i.knowledge as KnowledgeExcerpt[];
      } else if (ctx) refOf(ctx[1], ctx[2]).knowledge = (i.knowledge as KnowledgeExcerpt[] | undefined) ?? [];
    }
    for (const c of byRef.values()) c.messages.sort((a, b) => a.seq - b.seq);
    return [...byRef.values()].filter((c) => c.messages.length > 0);
  }
}

export class ConversationStore extends RunConversations {
  /** Every message of the agent in the run, oldest first. */
  async load(ref: ConversationRef): Promise<StoredMessage[]> {
    const items = await queryAll(this.table, runPk(ref.runId), { skPrefix: prefix(ref) });
    return items.flatMap((i) => [
      {
        seq: i.seq as number,
        turn: i.turn as number,
        message: i.message as Message,
        ...(i.refused ? { refused: i.refused as StoredMessage['refused'] } : {}),
        ...(Array.isArray(i.knowledge) ? { knowledge: i.knowledge as KnowledgeExcerpt[] } : {}),
      },
      ...following(i),
    ]);
  }

  /**
   * Stores one turn's messages (in order, seqs consecutive) in one item, that of the first: one conditional write
   * refuses a second writer of the turn (a concurrent duplicate invocation) with ConditionFailedError, as the first
   * message's own write did. Messages too big to share an item are written one by one (`append`).
   */
  async appendTurn(ref: ConversationRef, entries: readonly StoredMessage[]): Promise<void> {
    const [first, ...rest] = entries;
    if (!first) return;
    const followedBy: FollowingMessage[] = rest.map((m) => ({ seq: m.seq, message: m.message, ...(m.refused?.length ? { refused: m.refused } : {}) }));
    if (rest.length > 0 && JSON.stringify([first.message, followedBy]).length <= ONE_ITEM_LIMIT) return this.write(ref, first, followedBy);
    for (const entry of entries) await this.write(ref, entry, []);
  }

  /**
   * Appends one message. The conditional write refuses a second writer of
   * the same seq (a concurrent duplicate invocation) with ConditionFailedError.
   */
  async append(ref: ConversationRef, entry: StoredMessage): Promise<void> {
    await this.write(ref, entry, []);
  }

  /** One item: `entry`, and the messages of its turn that follow it. */
  private async write(ref: ConversationRef, entry: StoredMessage, followedBy: readonly FollowingMessage[]): Promise<void> {
    let knowledge = entry.knowledge;
    if (knowledge && JSON.stringify([entry, followedBy]).length > INLINE_KNOWLEDGE_LIMIT) {
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
        ...(followedBy.length > 0 ? { followedBy } : {}),
      },
      { itemExists: false },
    );
  }

  /**
   * Removes what an earlier, failed attempt of `turn` (or later) left behind,
   * so that a retried Lambda rebuilds the turn instead of duplicating it.
   */
  async discardFromTurn(ref: ConversationRef, turn: number, loaded: StoredMessage[]): Promise<StoredMessage[]> {
    const kept = loaded.filter((m) => m.turn < turn);
    // Newest first, so a discard cut short still leaves the first message while any other is left (`firstMessageKey`).
    for (const m of [...loaded].reverse()) {
      if (m.turn >= turn && m.storedWith === undefined) await this.table.delete({ pk: runPk(ref.runId), sk: messageSk(ref, m.seq) });
    }
    return kept;
  }

  async saveContext(ref: ConversationRef, context: ConversationContext): Promise<void> {
    await this.table.put({ pk: runPk(ref.runId), sk: contextSk(ref), knowledge: context.knowledge });
  }

  async loadContext(ref: ConversationRef): Promise<ConversationContext | undefined> {
    const item = await this.table.get({ pk: runPk(ref.runId), sk: contextSk(ref) });
    return item ? { knowledge: (item.knowledge as KnowledgeExcerpt[] | undefined) ?? [] } : undefined;
  }
}

/** The messages an item holds after its first (its turn's later ones), each tagged with its turn and the item's seq. */
function following(item: Record<string, unknown>): StoredMessage[] {
  if (!Array.isArray(item.followedBy)) return [];
  return (item.followedBy as FollowingMessage[]).map((m) => ({
    seq: m.seq,
    turn: item.turn as number,
    message: m.message,
    ...(m.refused ? { refused: m.refused } : {}),
    storedWith: item.seq as number,
  }));
}
