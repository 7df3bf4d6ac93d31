/**
 * Answers from recorded conversations: deterministic and offline (the
 * default provider, used by tests and the demo). The folder is looked at on
 * every call, so an added or edited file takes effect at once; its files are
 * read again only when one changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { messageText, type ContentBlock, type ConverseRequest, type ConverseResponse } from '../../../shared/agents/converse-shapes';
import { bedrockToolName } from '../../../shared/agents/tool-names';
import { AwsServiceError } from '../../server/aws-json-service';
import type { ModelProvider } from '../model-provider';
import {
  chooseResponse,
  conversationKey,
  findRecording,
  folderRecordings,
  recordingFileName,
  requestHash,
  turnIndex,
  type RecordedResponse,
  type RecordingFile,
} from '../recordings';

/** A rough, deterministic token count (≈ 4 characters a token) for recordings without usage. */
export function estimateTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value ?? '').length / 4));
}

/**
 * A draft recording for a conversation nothing answers: its key, the first
 * message and one turn to complete. Written under `<dir>/drafts/` (replay
 * reads only the folder itself, so a draft never answers until it is moved).
 */
export function writeDraftRecording(dir: string, request: ConverseRequest): string {
  const key = conversationKey(request);
  const file = path.join(dir, 'drafts', recordingFileName(key));
  if (existsSync(file)) return file;
  const first = request.messages?.find((m) => m.role === 'user');
  const tools = (request.toolConfig?.tools ?? []).map((t) => (t as { toolSpec?: { name?: string } }).toolSpec?.name).filter(Boolean);
  const draft = {
    conversation: key,
    description: `Draft: no recording answered this conversation. Write the model's answers as turns (text, or toolUse blocks naming one of: ${tools.join(', ') || 'no tools'}), the last one the final answer, then move this file into ${dir}.`,
    modelId: request.modelId,
    firstMessage: first ? messageText(first) : '',
    turns: [
      {
        response: {
          stopReason: 'end_turn',
          output: { message: { role: 'assistant', content: [{ text: 'TODO: the answer the model gives to the first message' }] } },
        },
      },
    ],
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(draft, null, 2)}\n`);
  return file;
}

/**
 * `recordings`, when given, answers instead of the folder (scenarios bring their own).
 * `log` receives the whole missing-recording message (the runtime's log: never cut off).
 */
export function createReplayProvider(options: { dir: string; recordings?: readonly RecordingFile[]; log?: (line: string) => void }): ModelProvider {
  const given = options.recordings;
  const recordings = given ? () => given : folderRecordings(options.dir);
  return {
    name: 'replay',
    async converse(request) {
      const key = conversationKey(request);
      const index = turnIndex(request);
      const found = findRecording(recordings(), request);
      if (!found) {
        const suggested = path.join(options.dir, recordingFileName(key));
        let draft = '';
        try {
          draft = ` A draft to complete is at ${writeDraftRecording(options.dir, request)}.`;
        } catch (error) {
          draft = ` (No draft written: ${(error as Error).message}.)`;
        }
        const message =
          `no recording for conversation "${key}" (turn ${index}, request hash ${requestHash(request)}) in ${options.dir}.${draft} ` +
          `Record one with AIOS_MODEL_PROVIDER=openai (or bedrock) and AIOS_MODEL_RECORD=1, ` +
          `or write ${suggested} by hand with "conversation": "${key}" and its "turns" (see the README, section "Models"; \`aios agent prompt\` shows what the agent is told).`;
        options.log?.(`replay: ${message}\n`);
        throw new AwsServiceError('ResourceNotFoundException', message, 404);
      }
      const turn = found.recording.turns[index];
      if (!turn) {
        throw new AwsServiceError(
          'ResourceNotFoundException',
          `recording ${found.file} has ${found.recording.turns.length} turn(s) for conversation "${key}", but this request needs turn ${index} ` +
            `(request hash ${requestHash(request)}). Add a turn to the file, or record the conversation again with AIOS_MODEL_RECORD=1.`,
          404,
        );
      }
      return complete(chooseResponse(turn, request), request, `${key}/${index}`);
    },
  };
}

/** Fills what a hand-written answer may leave out: tool-use ids, Bedrock tool names, usage, metrics. */
function complete(response: RecordedResponse, request: ConverseRequest, seed: string): ConverseResponse {
  const content = response.output.message.content.map((block, i): ContentBlock => {
    if (!('toolUse' in block) || !block.toolUse) return block;
    const use = block.toolUse as { toolUseId?: string; name: string; input?: unknown };
    return {
      toolUse: {
        toolUseId: use.toolUseId || `tooluse_${createHash('sha256').update(`${seed}/${i}`).digest('hex').slice(0, 22)}`,
        name: bedrockToolName(use.name),
        input: use.input ?? {},
      },
    };
  });
  const inputTokens = response.usage?.inputTokens ?? estimateTokens([request.system, request.messages, request.toolConfig]);
  const outputTokens = response.usage?.outputTokens ?? estimateTokens(content);
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: response.stopReason,
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    metrics: { latencyMs: response.metrics?.latencyMs ?? 0 },
  };
}
