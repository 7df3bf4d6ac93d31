/**
 * The Lambda handler gives the route its context's remaining time: with AWS
 * answering nothing (a server that holds every request), the page still
 * answers, with the 503, before the function's deadline.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { approvalHttpHandler } from '../../../functions/approval-http/approval-http-function';
import { ANSWER_MARGIN_MS } from '../../../shared/approvals';
import { parseEnvironment } from '../../../shared/composition/environment';
import { until } from '../../support/until';

let server: Server;
const held: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req) => held.push(req));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('the handler answers 503 with Retry-After before the context deadline when AWS does not answer', async () => {
  const port = (server.address() as AddressInfo).port;
  const env = parseEnvironment({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' });
  const handler = approvalHttpHandler(env, () => ({ people: [] }) as never);
  // Time past the margin for the request to reach the held server first. How long that takes is the machine's
  // business (a cold SDK on a loaded CI box needs hundreds of ms): the property checked is the deadline itself.
  const deadline = Date.now() + ANSWER_MARGIN_MS + 500;
  const context = {
    functionName: 'aios-approval-http',
    awsRequestId: 'req-1',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  } as unknown as Context;
  const event = {
    version: '2.0',
    rawPath: '/approvals/a-1',
    rawQueryString: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requestContext: { http: { method: 'POST', path: '/approvals/a-1' }, requestId: 'req-1' },
    body: 'a=sam&s=primary&e=1&t=x&decision=approve',
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const answer = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
  expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  expect(answer.statusCode).toBe(503);
  expect(answer.headers?.['retry-after']).toMatch(/^\d+$/);
  expect(String(answer.body)).toContain('Your decision is not confirmed yet');
  // AWS (the environment's endpoint) was asked and holds the request: the 503 is the deadline's. A cold SDK on a
  // loaded machine can deliver that request after the answer, so the test waits for it rather than expecting it already.
  await until(async () => (held.length > 0 ? true : undefined), 10_000, 10);
});
