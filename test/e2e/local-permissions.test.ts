/**
 * Permissions enforced locally: the in-process functions sign as themselves,
 * and the runtime holds each request to the statements the deployment plan
 * gives that function, answering AccessDeniedException as AWS would. Other
 * keys (a developer's CLI, this test) are not checked. And the runtime's
 * deployment outputs (`GET /outputs`), which the CLI reads names from, and
 * the S3 calls AIOS makes, on the same port.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { sendWebhook } from '../../cli/commands/webhook';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { createAwsClients, type AwsClients } from '../../shared/aws/clients';
import { FunctionRegistry, registerProjectFunctions } from '../../local/functions';
import { s3Client } from '../../shared/aws/s3-client';

jest.setTimeout(60_000);

const savedEnv = { ...process.env };
let rt: AiosRuntime;
let aws: AwsClients;

beforeAll(async () => {
  rt = await startAiosRuntime({ port: 0, dataDir: mkdtempSync(path.join(tmpdir(), 'aios-iam-')), schedules: false });
  aws = createAwsClients({ endpoint: rt.url }, {});
});

afterAll(async () => {
  await rt?.close();
  process.env = savedEnv;
});

/** The clients of the function `name`: what the runtime composes each in-process function's clients from (its name, as Lambda sets it). */
const asFunction = (name: string) => createAwsClients({ endpoint: rt.url }, { AWS_LAMBDA_FUNCTION_NAME: name });

const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (e: { name: string; message: string; $metadata?: { httpStatusCode?: number } }) => e,
  );

test('a function calling an action its plan lacks gets AccessDeniedException (JSON protocol)', async () => {
  const denied = await failure(
    asFunction('aios-tool-gate')
      .sfn()
      .send(new SendTaskSuccessCommand({ taskToken: 'a'.repeat(48), output: '{}' })),
  );
  expect(denied).toMatchObject({
    name: 'AccessDeniedException',
    message: expect.stringContaining('aios-tool-gate is not authorized to perform: states:SendTaskSuccess'),
    $metadata: { httpStatusCode: 400 },
  });

  const putEvents = await failure(
    asFunction('aios-agent-step')
      .eventBridge()
      .send(new PutEventsCommand({ Entries: [{ EventBusName: 'aios', Source: 's', DetailType: 'd', Detail: '{}' }] })),
  );
  expect(putEvents).toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('events:PutEvents on resource: arn:aws:events:') });
});

test('the REST services answer a denial in their shape (403, AccessDeniedException)', async () => {
  const email = new SendEmailCommand({
    FromEmailAddress: 'aios@localhost',
    Destination: { ToAddresses: ['a@example.com'] },
    Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
  });
  expect(await failure(asFunction('aios-tool-gate').sesV2().send(email))).toMatchObject({
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 403 },
  });
});

test('what the plan gives is allowed, and requests signed with any other key are not checked', async () => {
  const get = new GetItemCommand({ TableName: 'aios-state', Key: { pk: { S: 'nothing' }, sk: { S: 'here' } } });
  expect(await failure(asFunction('aios-agent-step').dynamoDb().send(get))).toBe('allowed');
  expect(
    await failure(
      asFunction('aios-emit-event')
        .eventBridge()
        .send(new PutEventsCommand({ Entries: [{ EventBusName: 'aios', Source: 's', DetailType: 'd', Detail: '{}' }] })),
    ),
  ).toBe('allowed');
  // This test's own client signs with `local`: unchecked, as a developer's CLI is.
  expect(await failure(aws.eventBridge().send(new PutEventsCommand({ Entries: [{ EventBusName: 'aios', Source: 's', DetailType: 'd', Detail: '{}' }] })))).toBe(
    'allowed',
  );
});

test('a project function the runtime composes signs as itself, and is refused what its plan lacks', async () => {
  // A functions/ folder as the runtime loads its own: `tool-gate` registers as aios-tool-gate, composed from the runtime's environment.
  const dir = mkdtempSync(path.join(tmpdir(), 'aios-fns-'));
  mkdirSync(path.join(dir, 'tool-gate'));
  writeFileSync(
    path.join(dir, 'tool-gate', 'index.js'),
    [
      `const { createAwsClients } = require(${JSON.stringify(require.resolve('../../shared/aws/clients'))});`,
      `const sfn = require(${JSON.stringify(require.resolve('@aws-sdk/client-sfn'))});`,
      'exports.createHandler = (env) => () =>',
      "  createAwsClients({}, env.vars).sfn().send(new sfn.SendTaskSuccessCommand({ taskToken: 'a'.repeat(48), output: '{}' }));",
    ].join('\n'),
  );
  const registry = new FunctionRegistry();
  expect(registerProjectFunctions(registry, dir, rt.environment)).toEqual(['aios-tool-gate']);
  const denied = await registry.invoke('aios-tool-gate', {}, { requestId: 'r-1' });
  expect(denied).toMatchObject({
    ok: false,
    failure: { error: 'AccessDeniedException', cause: expect.stringContaining('aios-tool-gate is not authorized to perform: states:SendTaskSuccess') },
  });
  // The runtime's own stays unchecked: its environment names no function.
  expect(await failure(aws.sfn().send(new SendTaskSuccessCommand({ taskToken: 'a'.repeat(48), output: '{}' })))).not.toMatchObject({
    name: 'AccessDeniedException',
  });
});

test('GET /outputs names what the runtime installed, in the document the stack outputs give on AWS', async () => {
  const outputs = (await (await fetch(`${rt.url}/outputs`)).json()) as Record<string, unknown>;
  expect(outputs).toMatchObject({
    target: 'local',
    apiUrl: rt.url,
    busName: 'aios',
    tables: { knowledge: 'aios-knowledge', state: 'aios-state', audit: 'aios-audit' },
    stateMachines: rt.installed.stateMachines,
  });
  expect(Object.keys(outputs.secrets as object)).toEqual(expect.arrayContaining(['approval-link-key', 'webhook-stripe']));
  // Asynchronously: the runtime answering it lives in this process.
  const cli = await promisify(execFile)(process.execPath, [path.join(__dirname, '../../bin/aios.js'), 'outputs'], {
    env: { ...savedEnv, AIOS_PORT: String(rt.port) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(JSON.parse(cli.stdout)).toEqual(outputs);
});

test('the local S3 API keeps objects in the data folder and honours Object Lock: a locked object is neither overwritten nor deleted', async () => {
  const s3 = s3Client({ endpoint: rt.url }, {});
  const Bucket = 'aios-archive-local';
  const retainUntil = new Date(Date.now() + 3_600_000);
  await s3.send(
    new PutObjectCommand({
      Bucket,
      Key: 'audit/run-1/0001.json',
      Body: '{"seq":1}',
      ContentType: 'application/json',
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: retainUntil,
    }),
  );
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'audit/run-1/0001.json' }));
  expect(head).toMatchObject({ ContentLength: 9, ObjectLockMode: 'COMPLIANCE' });
  expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'audit/run-1/0001.json' }))).Body!.transformToString()).toBe('{"seq":1}');

  expect(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'audit/run-1/0001.json', Body: '{"seq":1,"edited":true}' })))).toMatchObject({
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
  });
  expect(await failure(s3.send(new DeleteObjectCommand({ Bucket, Key: 'audit/run-1/0001.json' })))).toMatchObject({ name: 'AccessDenied' });
  expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'audit/run-1/0001.json' }))).Body!.transformToString()).toBe('{"seq":1}');

  await s3.send(new PutObjectCommand({ Bucket, Key: 'payloads/a', Body: 'v1' }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'payloads/a', Body: 'v2' }));
  expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'payloads/a' }))).Body!.transformToString()).toBe('v2');
  expect(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'payloads/none' })))).toMatchObject({ name: 'NoSuchKey' });
  // A function whose plan gives it no S3 statement is refused in S3's own shape.
  expect(
    await failure(s3Client({ endpoint: rt.url }, { AWS_LAMBDA_FUNCTION_NAME: 'aios-tool-gate' }).send(new GetObjectCommand({ Bucket, Key: 'payloads/a' }))),
  ).toMatchObject({
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
  });
});

test('a webhook too big for an event is stored in the payload bucket through the S3 API, and accepted', async () => {
  const items = Array.from({ length: 5000 }, (_, i) => ({ sku: `KC-${i}`, quantity: 1, note: 'a long line item note' }));
  const body = JSON.stringify({ id: 'evt_big_e2e', type: 'order.paid', created_at: '2026-01-09T16:00:00Z', data: { order_id: 'WH-77', items } });
  expect(Buffer.byteLength(body)).toBeGreaterThan(256 * 1024);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'aios-big-')), 'big.json');
  writeFileSync(file, body);
  const posted = await sendWebhook('generic', file, { url: `${rt.url}/webhooks/generic`, env: rt.environment.vars });
  expect([posted.status, JSON.parse(posted.body)]).toEqual([200, { received: 1, emitted: 1, duplicates: 0 }]);
  const key = `webhooks/generic/${createHash('sha256').update(body).digest('hex')}.json`;
  const stored = await s3Client({ endpoint: rt.url }, {}).send(new GetObjectCommand({ Bucket: 'aios-payloads', Key: key }));
  expect(await stored.Body!.transformToString()).toBe(body);
});
