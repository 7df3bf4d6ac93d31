/**
 * The approval pages through the real Lambda handler as a deployment builds
 * it (the people only: no tool's `describe`), on dynalite: the page leads
 * with the sentence stored when the approval was asked, and bad links and
 * forms get a clear English page that changes nothing.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { approvalHttpHandler } from '../../../functions/approval-http/approval-http-function';
import { requestApproval, type ApprovalEmail } from '../../../shared/approvals';
import { approvalDeps } from '../../../shared/composition/approvals';
import { parseEnvironment } from '../../../shared/composition/environment';
import { startDynalite, type DynaliteHandle } from '../../support/dynalite';
import { formOf, PEOPLE, refundRequest } from './fixture';

jest.setTimeout(60_000);

let dynalite: DynaliteHandle;
let handler: ReturnType<typeof approvalHttpHandler>;
let link: { id: string; query: Record<string, string> };

beforeAll(async () => {
  dynalite = await startDynalite();
  const [state, audit] = [await dynalite.table(), await dynalite.table()];
  const env = parseEnvironment({
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL: dynalite.endpoint,
    AIOS_TABLE_STATE: state.name,
    AIOS_TABLE_AUDIT: audit.name,
    AIOS_PUBLIC_URL: 'https://aios.example',
    AIOS_SECRET_APPROVAL_LINK_KEY: 'link-key-for-this-test-0123456789',
    AIOS_SECRET_AUDIT_CHAIN_KEY: 'audit-key-for-this-test',
  });
  // approval-request's side: it has the tools' sentences, and emails the link.
  const mail: ApprovalEmail[] = [];
  const describe = (i: { amount: number; orderId: string }) => `Refund $${i.amount.toFixed(2)} on order ${i.orderId}`;
  const asking = approvalDeps(env, { people: PEOPLE, tools: [{ id: 'refunds.issue', describe }] });
  await requestApproval({ ...asking, mailer: { send: async (email) => void mail.push(email) } }, refundRequest());
  const url = new URL(/https:\/\/aios\.example\/approvals\/\S+/.exec(mail[0].text)![0]);
  link = { id: decodeURIComponent(url.pathname.split('/').pop()!), query: Object.fromEntries(url.searchParams) };
  // approval-http's side, as its entry written at synth builds it: the people only.
  handler = approvalHttpHandler(env, () => ({ people: PEOPLE }));
});

afterAll(() => dynalite.close());

async function call(method: string, query: Record<string, string>, body?: string, contentType = 'application/x-www-form-urlencoded') {
  const event = {
    version: '2.0',
    rawPath: `/approvals/${link.id}`,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { 'content-type': contentType },
    requestContext: { http: { method, path: `/approvals/${link.id}` }, requestId: 'r' },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const context = { functionName: 'aios-approval-http', awsRequestId: 'r', getRemainingTimeInMillis: () => 25_000 } as unknown as Context;
  const answer = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
  return { status: answer.statusCode, html: String(answer.body) };
}

test('the page leads with the sentence stored when asked, without the tool code', async () => {
  const page = await call('GET', link.query);
  expect(page.status).toBe(200);
  expect(page.html).toContain('<p class="action">Refund $120.00 on order A-1042</p>');
});

test('bad links and forms get a clear page in English and decide nothing', async () => {
  const tampered = await call('GET', { ...link.query, a: 'priya' });
  expect(tampered).toMatchObject({ status: 400, html: expect.stringContaining('This link is not valid: it was changed or is incomplete.') });
  const form = formOf((await call('GET', link.query)).html);
  const noDecision = await call('POST', {}, new URLSearchParams(form).toString());
  expect(noDecision).toMatchObject({ status: 400, html: expect.stringContaining('No decision was chosen.') });
  const json = await call('POST', {}, JSON.stringify({ ...form, decision: 'approve' }), 'application/json');
  expect(json).toMatchObject({ status: 415, html: expect.stringContaining('Send the form from the approval page') });
  expect((await call('GET', link.query)).status).toBe(200);
});

test('a form naming its decision twice is refused, whichever comes last, and decides nothing', async () => {
  const form = formOf((await call('GET', link.query)).html);
  for (const order of [
    ['approve', 'reject'],
    ['reject', 'approve'],
  ]) {
    const body = new URLSearchParams(form);
    for (const decision of order) body.append('decision', decision);
    const twice = await call('POST', {}, body.toString());
    expect(twice).toMatchObject({ status: 400, html: expect.stringContaining('The form was changed or did not come from the approval page.') });
  }
  const sameTwice = new URLSearchParams({ ...form, decision: 'approve' });
  sameTwice.append('a', form.a);
  expect((await call('POST', {}, sameTwice.toString())).status).toBe(400);
  // Still open: the page shows the form, not a recorded decision.
  expect((await call('GET', link.query)).html).toContain('name="decision" value="approve"');
});
