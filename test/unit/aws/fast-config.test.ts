/** A client whose configuration V8 lays out again behaves as before: same object, same properties, requests signed and sent alike. */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { clientConfig } from '../../../shared/aws/client-config';
import { withFastConfig } from '../../../shared/aws/fast-config';
import { recordingHandler } from '../../support/recording-request-handler';

test('the configuration keeps its identity, prototype and every property', () => {
  const client = new DynamoDBClient(clientConfig('DYNAMODB', { endpoint: 'http://127.0.0.1:4599' }, {}));
  const config = client.config;
  const prototype = Object.getPrototypeOf(config) as unknown;
  const before = Object.getOwnPropertyNames(config).map((name) => [name, Object.getOwnPropertyDescriptor(config, name)]);
  expect(withFastConfig(client)).toBe(client);
  expect(client.config).toBe(config);
  expect(Object.getPrototypeOf(config)).toBe(prototype);
  expect(Object.getOwnPropertyNames(config).map((name) => [name, Object.getOwnPropertyDescriptor(config, name)])).toEqual(before);
});

test("requests are serialised, signed as the client's function and parsed as before", async () => {
  const { sent, handler } = recordingHandler('{"Item":{"pk":{"S":"a"}}}');
  for (const fn of ['aios-tool-gate', 'aios-agent-step']) {
    const config = clientConfig('DYNAMODB', { endpoint: 'http://127.0.0.1:4599' }, { AWS_LAMBDA_FUNCTION_NAME: fn });
    const client = withFastConfig(new DynamoDBClient({ ...config, requestHandler: handler as never }));
    const out = await client.send(new GetItemCommand({ TableName: 'aios-state', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }));
    expect(out.Item).toEqual({ pk: { S: 'a' } });
  }
  expect(sent.map((r) => /Credential=([^/]+)\//.exec(String(r.headers.authorization))?.[1])).toEqual(['aios-tool-gate', 'aios-agent-step']);
  expect(sent.map((r) => [r.hostname, r.port, r.headers['x-amz-target'], JSON.parse(String(r.body)) as unknown])).toEqual([
    ['127.0.0.1', 4599, 'DynamoDB_20120810.GetItem', { TableName: 'aios-state', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }],
    ['127.0.0.1', 4599, 'DynamoDB_20120810.GetItem', { TableName: 'aios-state', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }],
  ]);
});
