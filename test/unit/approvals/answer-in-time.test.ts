import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { routeApprovalRequest } from '../../../functions/approval-http/route';
import { ANSWER_MARGIN_MS, requestApproval, type AnswerTime } from '../../../shared/approvals';
import { formOf, harness, linkOf, refundRequest } from './fixture';

function event(method: string, path: string, rawQueryString = '', body?: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    requestContext: { http: { method, path } },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

/** A Lambda context's clock with `ms` left past the answer margin; failures after a late answer are collected. */
function timeWith(ms: number, failures: unknown[] = []): AnswerTime {
  const deadline = Date.now() + ANSWER_MARGIN_MS + ms;
  return { timeLeft: () => deadline - Date.now(), onLateFailure: (error) => failures.push(error) };
}

/** A gate the test opens: work waiting on it finishes only then. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
}

test('a decision slower than the deadline answers 503 with Retry-After, claims nothing, and is recorded once when it finishes', async () => {
  const h = harness();
  await requestApproval(h.deps, refundRequest());
  const { id, query } = linkOf(h.mail[0]);
  const get = await routeApprovalRequest(h.deps, event('GET', `/approvals/${id}`, new URLSearchParams(query).toString()), timeWith(5_000));
  expect(get.statusCode).toBe(200);

  // Step Functions answers SendTaskSuccess only after the page had to answer (a safety opening bounds the test on old code).
  const slow = gate();
  const safety = setTimeout(slow.open, 3_000);
  const send = h.deps.notifier.sendTaskSuccess.bind(h.deps.notifier);
  h.deps.notifier.sendTaskSuccess = async (token, output) => {
    await slow.opened;
    await send(token, output);
  };
  const failures: unknown[] = [];
  const form = new URLSearchParams({ ...formOf(String(get.body)), decision: 'approve', comment: '<b>ok</b>' }).toString();
  const post = await routeApprovalRequest(h.deps, event('POST', `/approvals/${id}`, '', form), timeWith(50, failures));

  expect(post.statusCode).toBe(503);
  expect(post.headers).toMatchObject({ 'retry-after': expect.stringMatching(/^\d+$/), 'cache-control': 'no-store' });
  const html = String(post.body);
  expect(html).toContain('<h1>Your decision is not confirmed yet</h1>');
  expect(html).toContain('open the link from your email again');
  expect(html).toContain('<meta name="viewport"');
  expect(html).not.toMatch(/is recorded|You approved|approved;|workflow continues/i);
  expect(html).not.toContain('<b>ok</b>');
  expect(h.resumed).toHaveLength(0);

  slow.open();
  clearTimeout(safety);
  await until(async () => h.resumed.length === 1 && (await h.deps.store.get(id))?.resume === 'done');
  expect(failures).toEqual([]);
  expect(h.resumed).toHaveLength(1);
  expect(h.resumed[0].output).toMatchObject({ approved: true });
  expect(await h.deps.store.decisions(id)).toHaveLength(1);
  const audited = (await h.deps.audit.records('run-1')).filter((r) => r.kind === 'approval.decided');
  expect(audited).toHaveLength(1);

  const later = await routeApprovalRequest(h.deps, event('GET', `/approvals/${id}`, new URLSearchParams(query).toString()), timeWith(5_000));
  expect(later.statusCode).toBe(409);
  expect(String(later.body)).toContain('Already approved');
  expect(h.resumed).toHaveLength(1);
});

test('a GET slower than the deadline answers a clear 503 page and changes nothing', async () => {
  const h = harness();
  await requestApproval(h.deps, refundRequest());
  const { id, query } = linkOf(h.mail[0]);
  const slow = gate();
  const safety = setTimeout(slow.open, 3_000);
  const get = h.deps.store.getWithDecisions.bind(h.deps.store);
  h.deps.store.getWithDecisions = async (approvalId) => {
    await slow.opened;
    return get(approvalId);
  };
  const head = await routeApprovalRequest(h.deps, event('GET', `/approvals/${id}`, new URLSearchParams(query).toString()), timeWith(20));
  slow.open();
  clearTimeout(safety);
  expect(head.statusCode).toBe(503);
  expect(head.headers).toMatchObject({ 'retry-after': expect.stringMatching(/^\d+$/) });
  expect(String(head.body)).toContain('<h1>Too busy to show this request</h1>');
  expect((await h.deps.store.get(id))?.status).toBe('pending');
});

test('without a deadline, or with time to spare, the page is the decision page as before', async () => {
  const h = harness();
  await requestApproval(h.deps, refundRequest());
  const { id, query } = linkOf(h.mail[0]);
  const get = await routeApprovalRequest(h.deps, event('GET', `/approvals/${id}`, new URLSearchParams(query).toString()));
  const form = new URLSearchParams({ ...formOf(String(get.body)), decision: 'reject' }).toString();
  const post = await routeApprovalRequest(h.deps, event('POST', `/approvals/${id}`, '', form), timeWith(10_000));
  expect(post.statusCode).toBe(200);
  expect(post.headers?.['retry-after']).toBeUndefined();
  expect(String(post.body)).toContain('You rejected');
});
