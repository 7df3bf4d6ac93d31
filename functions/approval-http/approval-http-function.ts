/**
 * The approval pages' Lambda handler over the part of the definition the
 * approval service reads; index.ts gives it the whole definition, a
 * deployment that part, written at synth (infra/definition-entries.ts).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { runtimeApprovalDeps, type ApprovalDefinition } from '../../shared/approvals/runtime-deps';
import { runLogging } from '../run-logging';
import { routeApprovalRequest } from './route';

export function approvalHttpHandler(definition: () => ApprovalDefinition) {
  return middy(async (event: APIGatewayProxyEventV2) => routeApprovalRequest(runtimeApprovalDeps(definition()), event)).use(runLogging());
}
