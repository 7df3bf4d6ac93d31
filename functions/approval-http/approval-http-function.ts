/**
 * The approval pages' Lambda handler over the part of the definition the
 * approval service reads; index.ts gives it the whole definition, a
 * deployment that part, written at synth (infra/definition-entries.ts).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { approvalDeps, type ApprovalDefinition } from '../../shared/composition/approvals';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { runLogging } from '../run-logging';
import { routeApprovalRequest } from './route';

export function approvalHttpHandler(env: AiosEnvironment, definition: () => ApprovalDefinition) {
  return middy(async (event: APIGatewayProxyEventV2) => routeApprovalRequest(approvalDeps(env, definition()), event)).use(runLogging());
}
