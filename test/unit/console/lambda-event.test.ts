/**
 * The console as its Lambda answers API Gateway HTTP API (payload 2.0)
 * events: cookies arriving apart from the headers, base64 bodies, cookies
 * set through `cookies`, HEAD without a body, path parameters decoded.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { cookieOf, eventResult, requestOfEvent } from '../../../functions/console/console-request';
import { consoleHarness, csrfOf, signIn } from './console-harness';

function event(method: string, path: string, over: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    requestContext: { http: { method, path } },
    isBase64Encoded: false,
    ...over,
  } as APIGatewayProxyEventV2;
}

describe('the console from API Gateway events', () => {
  test('a signed-in person reaches a page with the session cookie sent in `cookies`', async () => {
    const h = consoleHarness();
    const maya = await signIn(h, 'maya@kestrel.example');
    const cookies = [...maya.jar].map(([k, v]) => `${k}=${v}`);
    const request = requestOfEvent(event('GET', '/console/runs', { cookies, rawQueryString: 'status=RUNNING' }));
    expect(request.query.get('status')).toBe('RUNNING');
    const result = eventResult(await h.app.answer(request), request.method);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-security-policy']).toBeDefined();
    expect(result.body).toContain('Runs');

    const head = requestOfEvent(event('HEAD', '/console/runs', { cookies }));
    const headResult = eventResult(await h.app.answer(head), head.method);
    expect(headResult.statusCode).toBe(200);
    expect(headResult.body).toBe('');
  });

  test('a base64 form body is read, and a cookie the answer sets goes in `cookies`', async () => {
    const h = consoleHarness();
    const form = requestOfEvent(event('GET', '/console/sign-in'));
    const shown = eventResult(await h.app.answer(form), 'GET');
    const browserCookie = shown.cookies?.find((c) => c.startsWith('aios_console_browser='));
    expect(browserCookie).toBeDefined();
    const body = new URLSearchParams({ email: 'maya@kestrel.example', csrf: csrfOf(String(shown.body)) }).toString();
    const post = requestOfEvent(
      event('POST', '/console/sign-in', {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        cookies: [browserCookie!.split(';')[0]],
        body: Buffer.from(body).toString('base64'),
        isBase64Encoded: true,
      }),
    );
    const sent = eventResult(await h.app.answer(post), 'POST');
    expect(sent.statusCode).toBe(200);
    expect(h.mail.some((m) => m.to === 'maya@kestrel.example')).toBe(true);
  });

  test('an unknown path or method is a 404 page, and the wrong content type is refused', async () => {
    const h = consoleHarness();
    expect((await h.app.answer(requestOfEvent(event('GET', '/console/nowhere')))).status).toBe(404);
    expect((await h.app.answer(requestOfEvent(event('POST', '/console/runs')))).status).toBe(404);
    const refused = await h.app.answer(requestOfEvent(event('POST', '/console/sign-in', { headers: { 'content-type': 'application/json' }, body: '{}' })));
    expect(refused.status).toBe(415);
  });

  test('cookies are read by name from the header and `cookies` alike, percent-decoded', () => {
    const request = requestOfEvent(event('GET', '/console', { cookies: ['a=1', 'b=x%20y'], headers: { cookie: 'c=3' } }));
    expect([cookieOf(request, 'a'), cookieOf(request, 'b'), cookieOf(request, 'c'), cookieOf(request, 'd')]).toEqual(['1', 'x y', '3', undefined]);
  });
});
