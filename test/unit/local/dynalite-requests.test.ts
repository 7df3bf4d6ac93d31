/**
 * The DynamoDB front answers requests with dynalite's validation and actions
 * in process (local/dynalite-requests.ts): every answer, an item's, a refused
 * condition's, a validation error's, a malformed request's, must be the one
 * dynalite's own HTTP server gives. Each request here goes to both, on fresh
 * stores, in the same order, and the answers are compared byte for byte.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { openDynamoDbListener, type DynamoDbListener } from '../../../local/dynamodb-listener';
import { admit, hasSigningParameters, requestId } from '../../../local/dynalite-requests';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

let front: DynamoDbListener;
let frontServer: Server;
let plain: Server;
let frontUrl: string;
let plainUrl: string;

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
};

beforeAll(async () => {
  front = await openDynamoDbListener(mkdtempSync(path.join(tmpdir(), 'aios-dynalite-front-')));
  frontServer = createServer((req, res) => front.listener(req, res));
  frontUrl = await listen(frontServer);
  plain = dynalite({ path: mkdtempSync(path.join(tmpdir(), 'aios-dynalite-plain-')), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  plainUrl = await listen(plain);
});

afterAll(async () => {
  await new Promise((resolve) => frontServer.close(resolve));
  await front.close();
  await new Promise((resolve) => plain.close(resolve));
});

const stamp = '20261207T060000Z';
const signed = (operation: string): Record<string, string> => ({
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': `DynamoDB_20120810.${operation}`,
  'x-amz-date': stamp,
  authorization: `AWS4-HMAC-SHA256 Credential=AKID/20261207/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`,
});

interface Answer {
  status: number;
  headers: Record<string, string | null>;
  body: string;
}

async function send(url: string, init: { method?: string; headers: Record<string, string>; body?: string }): Promise<Answer> {
  const res = await fetch(url, { method: init.method ?? 'POST', headers: init.headers, ...(init.body !== undefined ? { body: init.body } : {}) });
  const body = await res.text();
  const id = res.headers.get('x-amzn-requestid');
  return {
    status: res.status,
    headers: {
      'content-type': res.headers.get('content-type'),
      'content-length': res.headers.get('content-length') === String(Buffer.byteLength(body)) ? 'the body’s' : res.headers.get('content-length'),
      // Length and checksum compared as the body's, since the body is compared with its random parts taken out.
      'x-amz-crc32': res.headers.get('x-amz-crc32') === String(crc32(body)) ? 'the body’s' : res.headers.get('x-amz-crc32'),
      'access-control-allow-origin': res.headers.get('access-control-allow-origin'),
      // Random on both sides: its shape is what is compared.
      'x-amzn-requestid': id === null ? null : /^[A-Z0-9]{52}$/.test(id) ? 'a request id' : id,
    },
    // Table descriptions carry the time they were made and a random id.
    body: body.replace(/"(\w*DateTime)":[\d.]+/g, '"$1":0').replace(/"TableId":"[^"]+"/g, '"TableId":"?"'),
  };
}

/** Sends one request to both and expects the same answer; gives the front's. */
async function same(init: { method?: string; headers: Record<string, string>; body?: string }): Promise<Answer> {
  const ours = await send(frontUrl, init);
  const theirs = await send(plainUrl, init);
  expect(ours).toEqual(theirs);
  return ours;
}

const call = (operation: string, input: unknown) => same({ headers: signed(operation), body: JSON.stringify(input) });
const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });

test('item operations answer as dynalite answers them over HTTP', async () => {
  const created = await call('CreateTable', {
    TableName: 'things',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  expect(created.status).toBe(200);
  const item = { ...key('a', '1'), g: { S: 'x' }, n: { N: '001.50' }, l: { L: [{ S: 'y' }, { NULL: true }] }, b: { B: 'AAEC' } };
  expect((await call('PutItem', { TableName: 'things', Item: item, ConditionExpression: 'attribute_not_exists(pk)' })).status).toBe(200);
  // The same put again: the condition fails.
  expect((await call('PutItem', { TableName: 'things', Item: item, ConditionExpression: 'attribute_not_exists(pk)' })).status).toBe(400);
  await call('PutItem', { TableName: 'things', Item: { ...key('a', '2'), g: { S: 'x' } }, ReturnConsumedCapacity: 'TOTAL' });
  const got = await call('GetItem', { TableName: 'things', Key: key('a', '1'), ConsistentRead: true });
  expect(JSON.parse(got.body)).toMatchObject({ Item: { n: { N: '1.5' } } });
  await call('GetItem', { TableName: 'things', Key: key('a', 'none') });
  await call('UpdateItem', {
    TableName: 'things',
    Key: key('a', '2'),
    UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one',
    ExpressionAttributeNames: { '#c': 'count' },
    ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' } },
    ReturnValues: 'ALL_NEW',
  });
  await call('Query', {
    TableName: 'things',
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
    ExpressionAttributeValues: { ':p': { S: 'a' }, ':s': { S: '' } },
  });
  await call('Query', { TableName: 'things', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } });
  // One key: the order of a batch's answers is whichever read finished first.
  await call('BatchGetItem', { RequestItems: { things: { Keys: [key('a', '1')] } } });
  await call('BatchWriteItem', { RequestItems: { things: [{ DeleteRequest: { Key: key('a', '2') } }, { PutRequest: { Item: key('b', '1') } }] } });
  await call('DeleteItem', { TableName: 'things', Key: key('a', '1'), ReturnValues: 'ALL_OLD' });
  await call('Scan', { TableName: 'things' });
  await call('DescribeTable', { TableName: 'things' });
  await call('ListTables', {});
});

test('validation errors and missing tables are dynalite’s own', async () => {
  await call('PutItem', { Item: key('a', '1') });
  await call('PutItem', { TableName: 'missing', Item: key('a', '1') });
  await call('GetItem', { TableName: 'things', Key: { pk: { S: 'a' } } });
  await call('GetItem', { TableName: 'things', Key: key('a', '1'), Extra: 1, ConsistentRead: null });
  await call('PutItem', { TableName: 'things', Item: { ...key('a', '1'), n: { N: 'not a number' } } });
  await call('UpdateItem', { TableName: 'things', Key: key('a', '1'), UpdateExpression: 'SET #x = :v', ExpressionAttributeValues: { ':v': { S: 'v' } } });
  await call('PutItem', {
    TableName: 'things',
    Item: key('a', '1'),
    ConditionExpression: 'pk = :unused AND',
    ExpressionAttributeValues: { ':unused': { S: 'a' } },
  });
  await call('Query', { TableName: 'things', KeyConditionExpression: 'pk = :p', Limit: 'many' });
  await same({ headers: signed('GetItem'), body: '5' });
  await same({ headers: signed('GetItem'), body: '[]' });
});

test('malformed requests go to dynalite’s handler and get its answers', async () => {
  const get = JSON.stringify({ TableName: 'things', Key: key('a', '1') });
  await same({ headers: signed('GetItem'), body: '{not json' });
  await same({ headers: signed('GetItem'), body: '' });
  await same({ headers: signed('NoSuchOperation'), body: get });
  await same({ headers: { ...signed('GetItem'), 'x-amz-target': 'DynamoDB_20991231.GetItem' }, body: get });
  await same({ headers: { ...signed('GetItem'), 'content-type': 'text/plain' }, body: get });
  await same({ headers: { ...signed('GetItem'), 'content-type': 'application/json; charset=utf-8' }, body: get });
  await same({ headers: { ...signed('GetItem'), authorization: '' }, body: get });
  await same({ headers: { ...signed('GetItem'), authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261207/us-east-1/dynamodb/aws4_request' }, body: get });
  await same({ headers: { ...signed('GetItem'), authorization: 'Basic abc' }, body: get });
  const { 'x-amz-date': _date, ...undated } = signed('GetItem');
  await same({ headers: undated, body: get });
  await same({ headers: { ...signed('GetItem'), origin: 'https://example.test' }, body: get });
  await same({ method: 'GET', headers: {} });
});

test('admits exactly the requests dynalite’s handler would pass to validation', () => {
  const req = (headers: Record<string, string>, url = '/', method = 'POST') => ({ method, url, headers });
  const body = Buffer.from('{"TableName":"things"}');
  expect(admit(req(signed('GetItem')), body)).toEqual({ operation: 'GetItem', data: { TableName: 'things' }, contentType: 'application/x-amz-json-1.0' });
  expect(admit(req(signed('GetItem'), '/?X-Amz-Algorithm=x'), body)).toBeUndefined();
  expect(admit(req(signed('GetItem'), '/', 'PUT'), body)).toBeUndefined();
  expect(admit(req(signed('GetItem')), Buffer.from('null'))).toBeUndefined();
  expect(admit(req({ ...signed('GetItem'), authorization: 'AWS4-HMAC-SHA256 Credential=a, SignedHeaders=host' }), body)).toBeUndefined();
});

/** dynalite's own reading of the header (its index.js), to compare the front's with. */
function dynaliteHasSigningParameters(header: string): boolean {
  const parameters = header
    .split(/,| /)
    .slice(1)
    .filter(Boolean)
    .reduce<Record<string, string | undefined>>((out, piece) => {
      const [name, value] = piece.trim().split('=');
      out[name] = value;
      return out;
    }, {});
  return ['Credential', 'Signature', 'SignedHeaders'].every((name) => !!parameters[name]);
}

test('the signing parameters are read from the header as dynalite reads them', () => {
  const pieces = [
    'Credential=a/b',
    'Signature=',
    'Signature=abc',
    'SignedHeaders=host',
    'SignedHeaders',
    'Credential==x',
    'X=1',
    'AWS4-HMAC-SHA256',
    '\t',
    'Signature=a=b',
  ];
  const gaps = [' ', ',', ', ', '  ', ',,', ' \t'];
  let seed = 7;
  const outcomes = new Set<boolean>();
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let i = 0; i < 3000; i++) {
    let header = next(4) === 0 ? gaps[next(gaps.length)] : '';
    for (let k = 0, count = 1 + next(6); k < count; k++) header += (k ? gaps[next(gaps.length)] : '') + pieces[next(pieces.length)];
    expect([header, hasSigningParameters(header)]).toEqual([header, dynaliteHasSigningParameters(header)]);
    outcomes.add(hasSigningParameters(header));
  }
  expect(outcomes).toEqual(new Set([true, false]));
  expect(hasSigningParameters(signed('GetItem').authorization)).toBe(true);
});

test('request ids have dynalite’s shape and do not repeat', () => {
  const ids = new Set(Array.from({ length: 600 }, requestId));
  expect(ids.size).toBe(600);
  for (const id of ids) expect(id).toMatch(/^[A-Z0-9]{52}$/);
});

test('the runtime’s own reads (call) answer as a request would', async () => {
  await call('PutItem', { TableName: 'things', Item: { ...key('c', '1'), v: { N: '2.50' } } });
  const answer = await front.call('GetItem', { TableName: 'things', Key: key('c', '1'), ConsistentRead: true });
  expect(answer).toEqual({ status: 200, body: { Item: { ...key('c', '1'), v: { N: '2.5' } } } });
  const refused = await front.call('GetItem', { TableName: 'missing', Key: key('c', '1') });
  expect(refused.status).toBe(400);
  expect(refused.body.__type).toBe('com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
});
