/**
 * Answers from recorded conversations: deterministic and offline (the
 * default provider, used by tests and the demo). Recordings are read on every
 * call, so an edited file takes effect at once.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ContentBlock, ConverseRequest, ConverseResponse } from '../../../shared/agents/converse-shapes';
import { bedrockToolName } from '../../../shared/agents/tool-names';
import { AwsServiceError } from '../../server/aws-json-service';
import type { ModelProvider } from '../model-provider';
import { chooseResponse, conversationKey, findRecording, loadRecordings, recordingFileName, requestHash, turnIndex, type RecordedResponse, type RecordingFile } from '../recordings';

/** A rough, deterministic token count (≈ 4 characters a token) for recordings without usage. */
export function estimateTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value ?? '').length / 4));
}

/** `recordings`, when given, answers instead of the folder (scenarios bring their own). */
export function createReplayProvider(options: { dir: string; recordings?: readonly RecordingFile[] }): ModelProvider {
  return {
    name: 'replay',
    async converse(request) {
      const key = conversationKey(request);
      const index = turnIndex(request);
      const found = findRecording(options.recordings ?? loadRecordings(options.dir), request);
      if (!found) {
        const suggested = path.join(options.dir, recordingFileName(key));
        throw new AwsServiceError(
          'ResourceNotFoundException',
          `no recording for conversation "${key}" (turn ${index}, request hash ${requestHash(request)}) in ${options.dir}. ` +
            `Record one with AIOS_MODEL_PROVIDER=openai (or bedrock) and AIOS_MODEL_RECORD=1, ` +
            `or write ${suggested} by hand with "conversation": "${key}" and its "turns" (see the README, section "Models").`,
          404,
        );
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
