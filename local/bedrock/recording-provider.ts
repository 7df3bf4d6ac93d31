/**
 * Recorder mode (`AIOS_MODEL_RECORD=1`): wraps a live provider and writes each
 * answer into the conversation's recording, so a later `replay` gives the
 * same answers offline.
 */
import type { ModelProvider } from './model-provider';
import { writeRecordedTurn } from './recordings';

export function recordingProvider(inner: ModelProvider, dir: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): ModelProvider {
  return {
    name: `${inner.name}+record`,
    async converse(request) {
      const response = await inner.converse(request);
      try {
        const file = writeRecordedTurn(dir, request, {
          output: response.output as never,
          stopReason: response.stopReason,
          usage: response.usage,
          metrics: response.metrics,
        });
        log(`recorded ${file}`);
      } catch (error) {
        // A failed write must not fail the model call the user is waiting for.
        log(`could not record: ${(error as Error).message}`);
      }
      return response;
    },
    ...(inner.ready ? { ready: inner.ready.bind(inner) } : {}),
    // Embeddings and other InvokeModel calls pass through unrecorded.
    ...(inner.invoke ? { invoke: inner.invoke.bind(inner) } : {}),
  };
}
