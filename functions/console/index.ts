/** Lambda `aios-console`: the web console at `/console` (see app.ts), over its part of the whole definition. */
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { knowledgeStore } from '../../shared/composition/knowledge';
import { consoleSlice, type ConsoleSlice } from '../../shared/console/console-slice';
import type { ValidOs } from '../../shared/definition';
import { currentOs } from '../current-os';
import { consoleHandler } from './console-function';

/** The handler over `env` and `os` (default: `currentOs` of `env`); the console's part of it is made on the first request. */
export function createHandler(env: AiosEnvironment, os?: ValidOs) {
  let slice: ConsoleSlice | undefined;
  return consoleHandler(env, () => (slice ??= consoleSlice(os ?? currentOs(env.vars))), knowledgeStore);
}

export const handler = createHandler(parseEnvironment(process.env));
