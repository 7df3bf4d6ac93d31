/** Lambda `aios-console`: the web console at `/console` (see app.ts). */
import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { runLogging } from '../run-logging';
import { createConsoleApp } from './app';
import { consoleDeps } from './console-deps';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return middy(handle(createConsoleApp(() => consoleDeps(env)))).use(runLogging());
}

export const handler = createHandler(parseEnvironment(process.env));
