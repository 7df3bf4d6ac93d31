/** Lambda `aios-approval-http`: the approval pages at `/approvals/<id>` (see route.ts). */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { approvalDeps } from '../../shared/composition/approvals';
import { parseEnvironment, type AiosEnvironment } from '../../shared/composition/environment';
import { currentOs } from '../current-os';
import { runLogging } from '../run-logging';
import { routeApprovalRequest } from './route';

/** The handler over `env` (the local runtime passes its own). */
export function createHandler(env: AiosEnvironment) {
  return middy(async (event: APIGatewayProxyEventV2) => routeApprovalRequest(approvalDeps(env, currentOs(env.vars)), event)).use(runLogging());
}

export const handler = createHandler(parseEnvironment(process.env));
