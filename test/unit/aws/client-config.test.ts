/** The one configuration of AWS clients: endpoint precedence, loopback behaviour, one client per configuration. */
import { SFNClient } from '@aws-sdk/client-sfn';
import { clientConfig, withParsedEndpoint } from '../../../shared/aws/client-config';
import { dynamoDbClient } from '../../../shared/aws/dynamodb';
import { sfnClient } from '../../../shared/aws/sfn';

test('endpoint precedence: option > AWS_ENDPOINT_URL_<SERVICE> > AWS_ENDPOINT_URL > real AWS', () => {
  const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:5601' };
  expect(clientConfig('SFN', { endpoint: 'https://states.example' }, env).endpoint).toBe('https://states.example');
  expect(clientConfig('SFN', {}, env).endpoint).toBe('http://127.0.0.1:5601');
  expect(clientConfig('DYNAMODB', {}, env).endpoint).toBe('http://127.0.0.1:4566');
  expect(clientConfig('DYNAMODB', {}, {}).endpoint).toBeUndefined();
});

test("a loopback endpoint gets local credentials (the environment's function, else the developer's key, else local), HTTP/1.1, one retry", () => {
  const local = clientConfig('BEDROCK_RUNTIME', {}, { AWS_ENDPOINT_URL: 'http://localhost:4566' });
  expect(local).toMatchObject({ maxAttempts: 2, region: 'us-east-1', credentials: { accessKeyId: 'local' } });
  expect(local.requestHandler).toBeDefined();
  const withKey = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' };
  expect(clientConfig('SFN', {}, withKey).credentials).toEqual({ accessKeyId: 'AKIA', secretAccessKey: 's' });
  // A function of the local runtime signs with its name (as Lambda sets it), so the runtime can check its permissions.
  expect(clientConfig('SFN', {}, { ...withKey, AWS_LAMBDA_FUNCTION_NAME: 'aios-tool-gate' }).credentials).toMatchObject({ accessKeyId: 'aios-tool-gate' });
  const aws = clientConfig('SFN', {}, { AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'aios-tool-gate' });
  expect(aws).toEqual({ region: 'eu-west-1', maxAttempts: 3, cacheMiddleware: true });
});

test('one client per configuration: the same environment reuses it, another endpoint gets its own', () => {
  const a = { AWS_ENDPOINT_URL: 'http://127.0.0.1:5602' };
  expect(sfnClient({}, a)).toBe(sfnClient({}, { ...a }));
  expect(sfnClient({}, a)).not.toBe(sfnClient({}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:5603' }));
  expect(dynamoDbClient({}, a)).not.toBe(dynamoDbClient({}, { ...a, AWS_REGION: 'eu-west-1' }));
});

test('two functions in one process share no client: each signs as itself', () => {
  const a = { AWS_ENDPOINT_URL: 'http://127.0.0.1:5602' };
  const gate = sfnClient({}, { ...a, AWS_LAMBDA_FUNCTION_NAME: 'aios-tool-gate' });
  expect(gate).toBe(sfnClient({}, { ...a, AWS_LAMBDA_FUNCTION_NAME: 'aios-tool-gate' }));
  expect(gate).not.toBe(sfnClient({}, { ...a, AWS_LAMBDA_FUNCTION_NAME: 'aios-agent-step' }));
  expect(gate).not.toBe(sfnClient({}, a));
});

test('a client gets its endpoint parsed once, as the SDK parses the URL; a URL with a query stays as written', async () => {
  const config = clientConfig('SFN', {}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:5604' });
  expect(withParsedEndpoint(config)).toEqual({ ...config, endpoint: { protocol: 'http:', hostname: '127.0.0.1', port: 5604, path: '/' } });
  expect(withParsedEndpoint(clientConfig('SFN', {}, { AWS_ENDPOINT_URL: 'https://states.example/base' })).endpoint).toEqual({
    protocol: 'https:',
    hostname: 'states.example',
    path: '/base',
  });
  expect(withParsedEndpoint(clientConfig('SFN', { endpoint: 'http://127.0.0.1:5604/?a=1' })).endpoint).toBe('http://127.0.0.1:5604/?a=1');
  const aws = clientConfig('SFN', {}, { AWS_REGION: 'eu-west-1' });
  expect(withParsedEndpoint(aws)).toBe(aws);
  // The SDK resolves the same endpoint from either form.
  const resolved = async (c: { config: { endpoint?: () => Promise<unknown> } }) => c.config.endpoint!();
  expect(await resolved(sfnClient({}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:5604' }))).toEqual(await resolved(new SFNClient(config)));
});
