/** A client keeps the SigV4 signer and the default user agent the SDK makes for it; its requests are signed and labelled exactly as before. */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { HttpRequest } from '@smithy/core/protocols';
import { clientConfig } from '../../../shared/aws/client-config';
import { withSignerAndUserAgentMadeOnce } from '../../../shared/aws/made-once';
import { recordingHandler } from '../../support/recording-request-handler';

type Signer = { sign(request: HttpRequest, options: { signingDate: Date }): Promise<HttpRequest> };
type SignerFactory = (authScheme?: unknown) => Promise<Signer>;

function recordingClient(env: Record<string, string> = {}) {
  const { sent, handler } = recordingHandler();
  const client = new DynamoDBClient({ ...clientConfig('DYNAMODB', { endpoint: 'http://127.0.0.1:4599' }, env), requestHandler: handler as never });
  return { client, sent };
}

const amzDate = (value: string) => new Date(value.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));

test('the signer is made once per client, and what it signs is what a new signer would sign', async () => {
  const { client, sent } = recordingClient({ AWS_LAMBDA_FUNCTION_NAME: 'aios-tool-gate' });
  const config = client.config as unknown as { signer: SignerFactory };
  const sdkFactory = config.signer;
  let made = 0;
  config.signer = (authScheme) => {
    made++;
    return sdkFactory(authScheme);
  };
  withSignerAndUserAgentMadeOnce(client);
  for (const pk of ['a', 'b', 'c']) await client.send(new GetItemCommand({ TableName: 'aios-state', Key: { pk: { S: pk }, sk: { S: 'x' } } }));
  expect(made).toBe(1);
  expect(sent).toHaveLength(3);
  for (const request of sent) {
    const authorization = String(request.headers.authorization);
    expect(authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=aios-tool-gate\/\d{8}\/us-east-1\/dynamodb\/aws4_request, /);
    // A signer the SDK makes afresh, at the same signing time, gives the same signature.
    const fresh = await (await sdkFactory(undefined)).sign(request, { signingDate: amzDate(String(request.headers['x-amz-date'])) });
    expect(fresh.headers.authorization).toBe(authorization);
  }
});

test('a factory that fails is asked again on the next request', async () => {
  const { client } = recordingClient({});
  const config = client.config as unknown as { signer: SignerFactory };
  const sdkFactory = config.signer;
  let calls = 0;
  config.signer = (authScheme) => (++calls === 1 ? Promise.reject(new Error('no region yet')) : sdkFactory(authScheme));
  withSignerAndUserAgentMadeOnce(client);
  const get = new GetItemCommand({ TableName: 'aios-state', Key: { pk: { S: 'a' }, sk: { S: 'x' } } });
  await expect(client.send(get)).rejects.toThrow('no region yet');
  await expect(client.send(get)).resolves.toBeDefined();
  await expect(client.send(get)).resolves.toBeDefined();
  expect(calls).toBe(2);
});

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
  withSignerAndUserAgentMadeOnce(fixed.client);
  for (let i = 0; i < 3; i++) {
    await plain.client.send(get());
    await fixed.client.send(get());
  }
  expect(built).toBe(1);
  expect(userAgents(fixed.sent)).toEqual(userAgents(plain.sent));
  expect(String(fixed.sent[2].headers['user-agent'])).toMatch(/^aws-sdk-js\/[\d.]+ ua\/2\.1 os\/\S+ lang\/js md\/nodejs#[\d.]+ api\/dynamodb#[\d.]+ m\/\S+/);
});
