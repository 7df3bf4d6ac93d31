/**
 * dynalite's own request handling (its validation, its actions on its store,
 * its answers and error messages) without its HTTP handler. That handler reads
 * the body from a stream, parses it, checks the request's head, and writes the
 * answer with a checksum; a front that already holds the body (the permission
 * check read it) paid for a second read of a replayed stream, a second parse
 * of the URL and the head, and a fresh random id from the kernel, on every
 * DynamoDB call. Here a request whose head dynalite would accept is answered
 * by the same validation and action functions dynalite calls, with the same
 * headers and body; any other request (a bad head, a body that is not JSON,
 * a CORS preflight) goes to dynalite's handler, which answers it in its own
 * words.
 */
import { randomFillSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';

/** An error dynalite answers with: its HTTP status and JSON body. */
interface DynaliteError extends Error {
  statusCode?: number;
  body?: Record<string, unknown>;
}

type Done = (error: DynaliteError | null | undefined, data?: Record<string, unknown>) => void;
type Action = (store: unknown, data: Record<string, unknown>, done: Done) => void;

interface ActionValidation {
  types: Record<string, unknown>;
  custom?: unknown;
}

interface Validations {
  checkTypes(data: Record<string, unknown>, types: Record<string, unknown>): Record<string, unknown>;
  checkValidations(data: Record<string, unknown>, types: Record<string, unknown>, custom: unknown, store: unknown): void;
}

/** The operations dynalite serves (its `validOperations`), each with the module name of its action and validation. */
const OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
];
const APIS = new Set(['DynamoDB_20111205', 'DynamoDB_20120810']);
/** dynalite answers a larger body with 413 itself. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/* eslint-disable @typescript-eslint/no-require-imports -- dynalite ships no types */
const validations = require('dynalite/validations') as Validations;
const handlers = new Map(
  OPERATIONS.map((operation) => {
    const name = operation[0].toLowerCase() + operation.slice(1);
    return [operation, { act: require(`dynalite/actions/${name}`) as Action, check: require(`dynalite/validations/${name}`) as ActionValidation }];
  }),
);
/* eslint-enable @typescript-eslint/no-require-imports */

/** Random bytes drawn from the kernel for 256 ids at a time rather than 39 bytes per request. */
const ID_BYTES = 39;
const pool = Buffer.alloc(ID_BYTES * 256);
let poolOffset = pool.length;

/** A request id as dynalite makes one: 39 random bytes in base64, upper-cased, with `+` and `/` as `0`. */
export function requestId(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, (poolOffset += ID_BYTES));
  return bytes.toString('base64').toUpperCase().replace(/\+|\//g, '0');
}

/** A parsed request dynalite's handler would pass on to validation: its operation and JSON input. */
export interface AdmittedRequest {
  operation: string;
  data: Record<string, unknown>;
  contentType: string;
}

/**
 * Whether an `Authorization` header has every signing parameter with a value, read as dynalite reads it:
 * split at commas and spaces, the first piece (the algorithm) left out, each piece `name=value` (the value
 * ends at a second `=`), a later piece of the same name replacing an earlier one.
 */
export function hasSigningParameters(header: string): boolean {
  const values: Record<string, string | undefined> = {};
  for (const piece of header.split(/,| /).slice(1)) {
    if (!piece) continue;
    const [name, value] = piece.trim().split('=');
    values[name] = value;
  }
  return !!values.Credential && !!values.Signature && !!values.SignedHeaders;
}

/**
 * The request as dynalite's handler would hand it to validation, or undefined when its handler
 * would answer otherwise (an error about the head or the body, a health check, a preflight):
 * those go to dynalite itself.
 */
export function admit(req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>, body: Buffer): AdmittedRequest | undefined {
  const headers = req.headers;
  if (req.method !== 'POST' || headers.origin !== undefined || req.url !== '/' || body.length === 0 || body.length > MAX_REQUEST_BYTES) return undefined;
  const contentType = (headers['content-type'] ?? '').split(';')[0].trim();
  if (contentType !== 'application/json' && contentType !== 'application/x-amz-json-1.0') return undefined;
  const target = String(headers['x-amz-target'] ?? '').split('.');
  if (target.length !== 2 || !APIS.has(target[0]) || !handlers.has(target[1])) return undefined;
  const authorization = headers.authorization;
  if (!authorization || authorization.trim().slice(0, 5) !== 'AWS4-') return undefined;
  if (!hasSigningParameters(authorization)) return undefined;
  if (!headers['x-amz-date'] && !headers.date) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(body.toString());
  } catch {
    return undefined;
  }
  // dynalite validates what JSON.parse gave (a number or a list is its validation's to refuse); only null it parses to nothing.
  if (data === null) return undefined;
  return { operation: target[1], data: data as Record<string, unknown>, contentType };
}

/**
 * Runs one admitted request through dynalite's validation and action, as its handler does, and
 * answers `done` with the status and body it would send. An error without a status is thrown, as
 * dynalite's handler throws it.
 */
export function perform(
  store: unknown,
  operation: string,
  input: Record<string, unknown>,
  done: (status: number, body: Record<string, unknown>) => void,
): void {
  const { act, check } = handlers.get(operation)!;
  let data: Record<string, unknown>;
  try {
    data = validations.checkTypes(input, check.types);
    validations.checkValidations(data, check.types, check.custom, store);
  } catch (error) {
    const failure = error as DynaliteError;
    if (failure.statusCode) return done(failure.statusCode, failure.body ?? {});
    throw error;
  }
  const answer: Done = (error, body) => {
    if (error && error.statusCode) return done(error.statusCode, error.body ?? {});
    if (error) throw error;
    done(200, body ?? {});
  };
  act(store, data, answer);
}

/** Answers an admitted request on `res` with the headers dynalite's handler sends. */
export function answerOver(store: unknown, request: AdmittedRequest, res: ServerResponse): void {
  res.setHeader('x-amzn-RequestId', requestId());
  const contentType = request.contentType !== 'application/x-amz-json-1.0' ? 'application/json' : request.contentType;
  perform(store, request.operation, request.data, (status, body) => {
    const text = JSON.stringify(body);
    res.statusCode = status;
    res.setHeader('x-amz-crc32', crc32(text));
    res.setHeader('Content-Type', contentType);
    res.setHeader('Content-Length', Buffer.byteLength(text, 'utf8'));
    res.end(text);
  });
}
