/**
 * Recorded conversations: plain JSON files (default `os/recordings/`), one
 * per conversation, that a person can read and edit by hand.
 *
 * A conversation is keyed by `<agent>#<hash>`: the agent id the request
 * carries in `requestMetadata.aiosAgent` (else the model id) and the first 12
 * hex digits of the SHA-256 of the canonical JSON of the first user message's
 * content. Its turns are answers in order: the answer to a request is the
 * turn whose index is the number of assistant messages the request already
 * holds. A recording can instead `match` on text the first user message
 * contains, which survives details that change between runs. A turn may
 * list `alternatives`, answers chosen when the conversation so far contains
 * given text (e.g. "Not run" in a tool result when a refund was refused).
 *
 * @example
 * {
 *   "conversation": "triage#5d41402abc4b",
 *   "description": "A torn bag: search the policy, then refund",
 *   "turns": [
 *     { "response": { "stopReason": "tool_use", "output": { "message": { "role": "assistant", "content": [
 *       { "text": "Let me check the refund policy." },
 *       { "toolUse": { "toolUseId": "t1", "name": "knowledge_search", "input": { "query": "refund policy" } } } ] } } } },
 *     { "response": { "stopReason": "end_turn", "output": { "message": { "role": "assistant", "content": [ { "text": "{\"reply\":\"…\"}" } ] } } } }
 *   ]
 * }
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { canonicalJson, inputDigest } from '../../shared/rights/input-digest';
import { contentBlockSchema, messageText, type ConverseRequest, type Message } from '../../shared/agents/converse-shapes';
import { AwsServiceError } from '../server/aws-json-service';

// Hand-written answers may leave out tool-use ids and use tool ids (`refunds.issue`): replay fills and maps them.
const recordedToolUseSchema = z
  .object({ toolUse: z.object({ toolUseId: z.string().optional(), name: z.string().min(1), input: z.unknown().optional() }) })
  .strict();
const recordedMessageSchema = z.object({ role: z.literal('assistant'), content: z.array(z.union([recordedToolUseSchema, contentBlockSchema])).min(1) });

const recordedResponseSchema = z.object({
  output: z.object({ message: recordedMessageSchema }),
  stopReason: z.string().default('end_turn'),
  usage: z.object({ inputTokens: z.number().int().min(0), outputTokens: z.number().int().min(0), totalTokens: z.number().int().min(0).optional() }).optional(),
  metrics: z.object({ latencyMs: z.number().min(0) }).optional(),
});

export const recordingSchema = z.object({
  /** `<agent>#<hash>`; optional when `match` is given. */
  conversation: z.string().optional(),
  description: z.string().optional(),
  /** Matches when the agent is this one and the first user message contains every string. */
  match: z.object({ agent: z.string().optional(), firstMessageContains: z.array(z.string()).min(1) }).optional(),
  modelId: z.string().optional(),
  /** The first user message's text, for the reader. */
  firstMessage: z.string().optional(),
  turns: z.array(
    z.object({
      /** The canonical request hash when recorded (for the reader; replay does not require it to match). */
      requestHash: z.string().optional(),
      /** The last user message of the request, for the reader. */
      user: z.array(contentBlockSchema).optional(),
      /** Checked in order before `response`: the first whose strings all appear in the conversation answers. */
      alternatives: z.array(z.object({ whenConversationContains: z.array(z.string()).min(1), response: recordedResponseSchema })).optional(),
      response: recordedResponseSchema,
    }),
  ),
});

export type Recording = z.infer<typeof recordingSchema>;
export type RecordedResponse = z.infer<typeof recordedResponseSchema>;

export interface RecordingFile {
  file: string;
  recording: Recording;
}

/**
 * The recordings folder: explicit option > AIOS_RECORDINGS_DIR > the definition's
 * `recordingsDir` > `os/recordings` of this repository, whatever the working directory.
 */
export function recordingsDir(env: NodeJS.ProcessEnv = process.env, explicit?: string, fromDefinition?: string): string {
  return path.resolve(explicit ?? env.AIOS_RECORDINGS_DIR ?? fromDefinition ?? path.join(__dirname, '..', '..', 'os', 'recordings'));
}

/** Who is talking: the agent id from the request metadata, else the model id. */
export function conversationAgent(request: ConverseRequest): string {
  return request.requestMetadata?.aiosAgent ?? request.modelId;
}

function firstUserMessage(request: ConverseRequest): Message | undefined {
  return request.messages?.find((m) => m.role === 'user');
}

/** `<agent>#<12 hex digits>`, stable for the same agent and first user message. */
export function conversationKey(request: ConverseRequest): string {
  const first = firstUserMessage(request);
  const hash = createHash('sha256')
    .update(canonicalJson(first?.content ?? []))
    .digest('hex')
    .slice(0, 12);
  return `${conversationAgent(request)}#${hash}`;
}

/** Which recorded turn answers this request: the number of answers it already holds. */
export function turnIndex(request: ConverseRequest): number {
  return (request.messages ?? []).filter((m) => m.role === 'assistant').length;
}

/** SHA-256 of the canonical request, without the per-run metadata. */
export function requestHash(request: ConverseRequest): string {
  const { requestMetadata: _ignored, ...rest } = request;
  return inputDigest(rest);
}

/** The file name the recorder uses for a conversation key. */
export function recordingFileName(key: string): string {
  return `${key.replace(/[^a-zA-Z0-9._-]+/g, '-')}.json`;
}

/** Reads and validates every recording; a broken file is a clear error naming it. */
export function loadRecordings(dir: string): RecordingFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new AwsServiceError('ValidationException', `recording ${file} is not valid JSON: ${(error as Error).message}`);
      }
      const parsed = recordingSchema.safeParse(json);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
        throw new AwsServiceError('ValidationException', `recording ${file} is invalid: ${problems}`);
      }
      return { file, recording: parsed.data };
    });
}

/**
 * The recordings of a folder as `loadRecordings` reads them, read again only when a recording was added, removed,
 * replaced or edited since (its name, size, modification time or file changed): the replay provider asks on every
 * Converse call, and reading and validating every file each time cost more than the answer.
 */
export function folderRecordings(dir: string): () => RecordingFile[] {
  let seen: string | undefined;
  let loaded: RecordingFile[] = [];
  return () => {
    // Taken before reading: an edit made while the files are read shows as a change on the next call.
    const now = folderState(dir);
    if (now !== seen) {
      loaded = loadRecordings(dir);
      seen = now;
    }
    return loaded;
  };
}

/** What changes when a recording file does: each `.json` file's name, size, modification time and inode. */
function folderState(dir: string): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const stat = statSync(path.join(dir, f), { bigint: true, throwIfNoEntry: false });
      return stat ? `${f}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}` : `${f}:gone`;
    })
    .join('\n');
}

/** The recording of this request's conversation: exact key first, then `match` rules, in file-name order. */
export function findRecording(recordings: readonly RecordingFile[], request: ConverseRequest): RecordingFile | undefined {
  const key = conversationKey(request);
  const exact = recordings.find((r) => r.recording.conversation === key);
  if (exact) return exact;
  const agent = conversationAgent(request);
  const first = firstUserMessage(request);
  const text = first ? messageText(first) : '';
  return recordings.find(
    (r) =>
      r.recording.match !== undefined &&
      (r.recording.match.agent === undefined || r.recording.match.agent === agent) &&
      r.recording.match.firstMessageContains.every((s) => text.includes(s)),
  );
}

/** Every text of the conversation (text blocks, tool inputs and results), for `alternatives` to search. */
export function conversationText(request: ConverseRequest): string {
  const parts: string[] = [];
  for (const m of request.messages ?? []) {
    for (const b of m.content) {
      const block = b as { text?: string; toolUse?: { input?: unknown }; toolResult?: { content?: { text?: string; json?: unknown }[] } };
      if (typeof block.text === 'string') parts.push(block.text);
      if (block.toolUse) parts.push(JSON.stringify(block.toolUse.input ?? {}));
      for (const c of block.toolResult?.content ?? []) parts.push(typeof c.text === 'string' ? c.text : JSON.stringify(c.json ?? c));
    }
  }
  return parts.join('\n');
}

/** The answer a recorded turn gives to this request. */
export function chooseResponse(turn: Recording['turns'][number], request: ConverseRequest): RecordedResponse {
  if (!turn.alternatives?.length) return turn.response;
  const text = conversationText(request);
  return turn.alternatives.find((a) => a.whenConversationContains.every((s) => text.includes(s)))?.response ?? turn.response;
}

/** Writes one turn into the conversation's file (creating it), dropping later turns recorded before. */
export function writeRecordedTurn(dir: string, request: ConverseRequest, response: RecordedResponse): string {
  mkdirSync(dir, { recursive: true });
  const key = conversationKey(request);
  const index = turnIndex(request);
  const existing = loadRecordings(dir).find((r) => r.recording.conversation === key);
  const file = existing?.file ?? path.join(dir, recordingFileName(key));
  const first = firstUserMessage(request);
  const recording: Recording = existing?.recording ?? {
    conversation: key,
    description: `recorded ${new Date().toISOString().slice(0, 10)} from ${request.modelId}`,
    modelId: request.modelId,
    ...(first ? { firstMessage: messageText(first) } : {}),
    turns: [],
  };
  if (index > recording.turns.length) {
    throw new AwsServiceError(
      'ValidationException',
      `cannot record turn ${index} of ${key}: ${file} has only ${recording.turns.length} turns (delete it and record the conversation from its start)`,
    );
  }
  const last = request.messages?.[request.messages.length - 1];
  recording.turns = [...recording.turns.slice(0, index), { requestHash: requestHash(request), ...(last ? { user: last.content } : {}), response }];
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(recording, null, 2)}\n`);
  renameSync(tmp, file);
  return file;
}
