/** Lambda `aios-console`: the web console at `/console` (see app.ts). */
import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import { runLogging } from '../run-logging';
import { createConsoleApp } from './app';
import { consoleDeps } from './console-deps';

export const app = createConsoleApp(() => consoleDeps());

export const handler = middy(handle(app)).use(runLogging());
