/**
 * Holds every request signed as a planned function to that function's
 * statements, before any local service sees it. A request the statements do
 * not allow is answered `AccessDeniedException` in the service's own error
 * shape, as AWS would answer the deployed function, so a missing permission
 * fails on the laptop first. Requests signed with any other key (a developer's
 * CLI, tests) and requests that are not AWS calls pass through unchecked.
 */
import type { RequestListener, ServerResponse } from 'node:http';
import { replay } from '../server/replayed-request';
import { readWholeBody } from '../server/whole-body';
import type { PlannedPolicy } from './planned-policy';
import { accessKeyIdOf, describeRequest, type ArnScope, type AwsRequestParts, type ErrorShape } from './request-action';

export interface PermissionCheckOptions {
  policy: PlannedPolicy;
  scope: ArnScope;
  /** Called on every denial (the runtime logs it: a missing statement is a bug to fix in the plan). */
  onDenied?: (functionName: string, message: string) => void;
}

/**
 * Wraps a request listener with the check.
 *
 * @example startLocalHttpServer({ ..., wrap: (l) => enforcePlannedPermissions(l, { policy, scope }) })
 */
export function enforcePlannedPermissions(listener: RequestListener, options: PermissionCheckOptions): RequestListener {
  return (req, res) => {
    const functionName = accessKeyIdOf(req.headers);
    if (!functionName || !options.policy.governs(functionName)) return listener(req, res);
    readWholeBody(req, (error, body) => {
      try {
        if (error) throw error;
        const parts: AwsRequestParts = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
        const request = describeRequest(parts, options.scope);
        const decision = request ? options.policy.decide(functionName, request) : { allowed: true as const };
        if (!decision.allowed) {
          options.onDenied?.(functionName, decision.message);
          return deny(res, request!.errorShape, decision.message);
        }
        listener(replay(req, body, parts.json ?? undefined), res);
      } catch (failure) {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(failure));
      }
    });
  };
}

function deny(res: ServerResponse, shape: ErrorShape, message: string): void {
  const requestId = globalThis.crypto.randomUUID();
  if (shape.protocol === 'rest-xml') {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId></Error>`;
    res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'content-length': Buffer.byteLength(xml) }).end(xml);
    return;
  }
  const json = shape.protocol === 'json' ? { __type: 'AccessDeniedException', message } : { message };
  const payload = JSON.stringify(json);
  res
    .writeHead(shape.protocol === 'json' ? 400 : 403, {
      'content-type': shape.protocol === 'json' ? `application/x-amz-json-${shape.jsonVersion}` : 'application/json',
      'x-amzn-errortype': 'AccessDeniedException',
      'x-amzn-requestid': requestId,
      'content-length': Buffer.byteLength(payload),
    })
    .end(payload);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
