/**
 * The API Gateway event of a local HTTP route carries the same body whether
 * it is read from the Fetch request or handed over as the bytes the port read.
 */
import { toApiGatewayEvent } from '../../../local/server/api-gateway-adapter';

test('a body handed over reads as the request’s own, text or binary', async () => {
  for (const bytes of [Buffer.from('{"type":"charge.dispute.created"}'), Buffer.from([0xff, 0x00, 0xfe])]) {
    const url = 'http://127.0.0.1:4566/webhooks/stripe?x=1';
    const headers = { 'content-type': 'application/json' };
    const fromRequest = await toApiGatewayEvent(new Request(url, { method: 'POST', headers, body: bytes }));
    const handedOver = await toApiGatewayEvent(new Request(url, { method: 'POST', headers }), { body: bytes });
    expect({ body: handedOver.body, isBase64Encoded: handedOver.isBase64Encoded }).toEqual({
      body: fromRequest.body,
      isBase64Encoded: fromRequest.isBase64Encoded,
    });
    expect(handedOver.rawQueryString).toBe('x=1');
  }
});
