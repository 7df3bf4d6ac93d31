import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { routeApprovalRequest } from '../../../functions/approval-http/route';
import { requestApproval } from '../../../shared/approvals';
import { stylesAllowed } from '../../support/page-policy';
import { formOf, harness, linkOf, refundRequest } from './fixture';

function event(method: string, path: string, rawQueryString = '', body?: string, contentType = 'application/x-www-form-urlencoded'): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString,
    headers: { 'content-type': contentType },
    requestContext: { http: { method, path } },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

test('GET then POST through the HTTP event, with safe headers', async () => {
  const h = harness();
  await requestApproval(h.deps, refundRequest());
  const { id, query } = linkOf(h.mail[0]);
  const get = await routeApprovalRequest(h.deps, event('GET', `/prod/approvals/${id}`, new URLSearchParams(query).toString()));
  expect(get.statusCode).toBe(200);
  expect(get.headers).toMatchObject({
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': expect.stringContaining("default-src 'none'"),
  });
  expect(stylesAllowed(String(get.body), get.headers?.['content-security-policy'] as string)).toBe(true);
  // An approval page carries the shared look only, not the console's tables, charts and pictures.
  expect(String(get.body)).not.toContain('.graph');
  const form = new URLSearchParams({ ...formOf(String(get.body)), decision: 'approve', comment: 'fine' }).toString();
  const post = await routeApprovalRequest(
    h.deps,
    event('POST', `/approvals/${id}`, '', Buffer.from(form).toString('base64'), 'application/x-www-form-urlencoded; charset=utf-8') as never,
  );
  // base64 flag not set: the body is garbage to the form parser, so nothing is decided
  expect(post.statusCode).toBe(400);
  const ok = await routeApprovalRequest(h.deps, { ...event('POST', `/approvals/${id}`, '', Buffer.from(form).toString('base64')), isBase64Encoded: true });
  expect(ok.statusCode).toBe(200);
  expect(h.resumed).toHaveLength(1);
});

test('other methods, paths and content types decide nothing', async () => {
  const h = harness();
  await requestApproval(h.deps, refundRequest());
  const { id } = linkOf(h.mail[0]);
  expect((await routeApprovalRequest(h.deps, event('DELETE', `/approvals/${id}`))).statusCode).toBe(405);
  expect((await routeApprovalRequest(h.deps, event('GET', '/elsewhere'))).statusCode).toBe(404);
  expect((await routeApprovalRequest(h.deps, event('POST', `/approvals/${id}`, '', '{"decision":"approve"}', 'application/json'))).statusCode).toBe(415);
  expect((await routeApprovalRequest(h.deps, event('GET', `/approvals/%E0%A4%A`))).statusCode).toBe(404);
  expect(h.resumed).toHaveLength(0);
});

test("the page leads with the sentence the approver was asked, stored when asked: the page's function carries no tool code", async () => {
  const h = harness();
  await requestApproval(h.deps, refundRequest());
  const { id, query } = linkOf(h.mail[0]);
  // The approval-http function is deployed with the people only (infra/definition-entries.ts): no tool's describe.
  const pageDeps = { ...h.deps, toolDescribers: undefined };
  const page = await routeApprovalRequest(pageDeps, event('GET', `/approvals/${id}`, new URLSearchParams(query).toString()));
  expect(page.statusCode).toBe(200);
  expect(String(page.body)).toContain('<p class="action">Refund $120.00 on order A-1042</p>');
  expect((await h.deps.store.get(id))!.action).toBe('Refund $120.00 on order A-1042');
});

test('an approval stored before the sentence was: the form still says it when the tools are at hand, else lists the call', async () => {
  const h = harness();
  await requestApproval(h.deps, refundRequest());
  const { id, query } = linkOf(h.mail[0]);
  await h.stateTable.update({ pk: `approval#${id}`, sk: 'approval' }, { remove: ['action'] });
  const get = () => event('GET', `/approvals/${id}`, new URLSearchParams(query).toString());
  expect(String((await routeApprovalRequest(h.deps, get())).body)).toContain('Refund $120.00 on order A-1042');
  expect(String((await routeApprovalRequest({ ...h.deps, toolDescribers: undefined }, get())).body)).toContain('refunds.issue with orderId');
});
