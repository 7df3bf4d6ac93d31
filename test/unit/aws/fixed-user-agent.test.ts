/** A client builds its default user agent once, and its requests carry the same user agent headers as before. */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HttpResponse, type HttpRequest } from '@smithy/core/protocols';
import { Readable } from 'node:stream';
import { clientConfig } from '../../../shared/aws/client-config';
import { withFixedUserAgent } from '../../../shared/aws/fixed-user-agent';

function recordingClient() {
  const sent: HttpRequest[] = [];
  const handler = {
    handle: async (request: HttpRequest) => {
      sent.push(request);
      const body = Readable.from([Buffer.from('{}')]);
      return { response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body }) };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const client = new DynamoDBClient({ ...clientConfig('DYNAMODB', { endpoint: 'http://127.0.0.1:4599' }, {}), requestHandler: handler as never });
  return { client, sent };
}

const get = () => new GetItemCommand({ TableName: 'aios-state', Key: { pk: { S: 'a' }, sk: { S: 'x' } } });
const userAgents = (sent: HttpRequest[]) => sent.map((r) => [r.headers['user-agent'], r.headers['x-amz-user-agent']]);

test('the default user agent is built once per client; every request carries what a client building it each time sends', async () => {
  const plain = recordingClient();
  const fixed = recordingClient();
  const config = fixed.client.config as unknown as { defaultUserAgentProvider: () => Promise<unknown[]> };
  const sdkProvider = config.defaultUserAgentProvider;
  let built = 0;
  config.defaultUserAgentProvider = () => {
    built++;
    return sdkProvider();
  };
  withFixedUserAgent(fixed.client);
  for (let i = 0; i < 3; i++) {
    await plain.client.send(get());
    await fixed.client.send(get());
  }
  expect(built).toBe(1);
  expect(userAgents(fixed.sent)).toEqual(userAgents(plain.sent));
  expect(String(fixed.sent[2].headers['user-agent'])).toMatch(/^aws-sdk-js\/[\d.]+ ua\/2\.1 os\/\S+ lang\/js md\/nodejs#[\d.]+ api\/dynamodb#[\d.]+ m\/\S+/);
});
