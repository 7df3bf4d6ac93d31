/** Lambda `aios-approval-http`: the approval pages at `/approvals/<id>` (see route.ts). */
import middy from '@middy/core';
import { runLogging } from '../run-logging';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { runtimeApprovalDeps } from '../../shared/approvals/runtime-deps';
import { currentOs } from '../current-os';
import { routeApprovalRequest } from './route';

export const handler = middy(async (event: APIGatewayProxyEventV2) => routeApprovalRequest(runtimeApprovalDeps(currentOs()), event)).use(runLogging());
