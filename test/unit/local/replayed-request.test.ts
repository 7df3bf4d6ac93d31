import { once } from 'node:events';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { bodyReadByPort, jsonObjectOf, readBody, replay } from '../../../local/server/replayed-request';

function request(): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = 'POST';
  req.url = '/';
  req.headers = { 'x-amz-target': 'AWSEvents.PutEvents', host: '127.0.0.1:4566' };
  return req;
}

async function streamed(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  await once(req, 'end');
  return Buffer.concat(chunks).toString('utf8');
}

test('a replayed request carries the body read and the object parsed from it, and can still be read as a stream', async () => {
  const body = Buffer.from('{"Entries":[]}');
  const json = jsonObjectOf(body);
  const copy = replay(request(), body, json);
  expect(copy.headers['x-amz-target']).toBe('AWSEvents.PutEvents');
  expect(readBody(copy)).toEqual({ body, json: { Entries: [] } });
  expect(readBody(copy)!.json).toBe(json);
  expect(await streamed(copy)).toBe('{"Entries":[]}');
});

test('a request no front has read carries nothing; one replayed without a parse carries its body only', async () => {
  expect(readBody(request())).toBeUndefined();
  const copy = replay(request(), Buffer.from('not json'));
  expect(readBody(copy)).toEqual({ body: Buffer.from('not json') });
  expect(await streamed(copy)).toBe('not json');
});

test('only a JSON object is taken as parsed: anything else is left to the listener to refuse in its own words', () => {
  expect(jsonObjectOf(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
  for (const text of ['', '[1]', 'null', '"s"', '{"a":', '3']) expect(jsonObjectOf(Buffer.from(text))).toBeUndefined();
});

test('a replayed body too large for one read of the stream arrives whole, by events or by async iteration, and an empty one ends at once', async () => {
  const body = Buffer.alloc(200_000, 'x');
  expect(await streamed(replay(request(), body))).toBe(body.toString('utf8'));
  const chunks: Buffer[] = [];
  for await (const chunk of replay(request(), body)) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).equals(body)).toBe(true);
  expect(await streamed(replay(request(), Buffer.alloc(0)))).toBe('');
});

test('a REST app finds the body the port read, from the adapter’s env: a front’s read, or the raw body the port handed over', () => {
  const body = Buffer.from('{"FromEmailAddress":"aios@localhost"}');
  const json = jsonObjectOf(body);
  const copy = replay(request(), body, json);
  expect(bodyReadByPort({ incoming: copy, outgoing: {} })).toEqual({ body, json });
  const plain = Object.assign(request(), { rawBody: body });
  expect(bodyReadByPort({ incoming: plain })).toEqual({ body });
  expect(bodyReadByPort({ incoming: request() })).toBeUndefined();
  // An app served some other way (tests call `app.request`): no env, or not a Node request.
  for (const env of [undefined, {}, { incoming: { rawBody: body } }]) expect(bodyReadByPort(env)).toBeUndefined();
});
