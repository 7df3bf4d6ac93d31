/**
 * The agent step's GetObject (functions/agent-step/s3-delivery-reader.ts):
 * the SDK's GetObject without its checksum middleware. It must resolve the
 * same endpoint and send the same request, bar asking for the checksum.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetDeliveryCommand, S3DeliveryReader } from '../../../functions/agent-step/s3-delivery-reader';

test("its endpoint parameters are GetObjectCommand's", () => {
  expect(GetDeliveryCommand.getEndpointParameterInstructions()).toStrictEqual(GetObjectCommand.getEndpointParameterInstructions());
});

test('it sends the request GetObjectCommand sends, without asking for a checksum, and reads the body back', async () => {
  const body = Buffer.from(JSON.stringify({ id: 'evt_1', lines: ['a', 'b'] }));
  const seen: { method?: string; url?: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const ref = { bucket: 'aios-payloads', key: 'webhooks/generic/abc.json', bytes: body.length, sha256: 'x' };
    expect(await new S3DeliveryReader(client, 'aios-payloads').get(ref)).toEqual(body);
    const sdk = await client.send(new GetObjectCommand({ Bucket: 'aios-payloads', Key: ref.key }));
    expect(Buffer.from(await sdk.Body!.transformToByteArray())).toEqual(body);

    const [ours, theirs] = seen;
    expect(ours.method).toBe('GET');
    expect(ours.url).toBe(theirs.url);
    // What differs: the checksum GetObjectCommand asks for, and what depends on it (signature, the SDK's feature list).
    const differs = new Set([
      'x-amz-checksum-mode',
      'authorization',
      'x-amz-date',
      'amz-sdk-invocation-id',
      'amz-sdk-request',
      'user-agent',
      'x-amz-user-agent',
    ]);
    const kept = (h: IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).filter(([k]) => !differs.has(k)));
    expect(kept(ours.headers)).toStrictEqual(kept(theirs.headers));
    expect(theirs.headers['x-amz-checksum-mode']).toBe('ENABLED');
    expect(ours.headers['x-amz-checksum-mode']).toBeUndefined();
    expect(ours.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request/);
  } finally {
    server.close();
  }
});
