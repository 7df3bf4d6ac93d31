/**
 * The console's Lambda handler over its part of the definition
 * (shared/console/console-slice.ts): index.ts makes that part from the
 * whole definition, a deployment writes it at synth as data
 * (infra/definition-entries.ts), the local runtime makes it at start.
 */
import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import type { AiosEnvironment } from '../../shared/composition/environment';
import type { ConsoleSlice } from '../../shared/console/console-slice';
import type { KnowledgeStore } from '../../shared/knowledge/store';
import { runLogging } from '../run-logging';
import { createConsoleApp } from './app';
import { consoleDeps } from './console-deps';

/** The handler over `env`, its part of the definition and the knowledge store `knowledge` makes (with the Bedrock client only where embeddings may be on). */
export function consoleHandler(env: AiosEnvironment, slice: () => ConsoleSlice, knowledge: (env: AiosEnvironment) => KnowledgeStore) {
  return middy(handle(createConsoleApp(() => consoleDeps(env, slice(), knowledge)))).use(runLogging());
}
