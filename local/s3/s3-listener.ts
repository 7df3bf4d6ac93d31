/**
 * The S3 calls AIOS makes, on the runtime's one port (path-style requests
 * signed for service `s3`): PutObject (with Object Lock retention headers and
 * `If-None-Match: *`), GetObject, HeadObject, DeleteObject, ListObjectsV2.
 * Errors in S3's XML shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RawListener } from '../server/local-http-server';
import { readBody } from '../server/replayed-request';
import { LocalObjectStore, ObjectExistsError, ObjectLockedError } from './object-store';

const xmlText = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** ListObjectsV2, one page of up to 1000 keys after the continuation token. */
function listObjects(store: LocalObjectStore, res: ServerResponse, bucket: string, query: URLSearchParams): void {
  const prefix = query.get('prefix') ?? '';
  const after = query.get('continuation-token') ?? query.get('start-after') ?? '';
  const max = Math.min(1000, Number(query.get('max-keys') ?? 1000) || 1000);
  const all = store.list(bucket, prefix).filter((o) => o.key > after);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const contents = page
    .map(
      (o) =>
        `<Contents><Key>${xmlText(o.key)}</Key><LastModified>${o.meta.lastModified}</LastModified><ETag>${xmlText(o.meta.etag)}</ETag><Size>${o.meta.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const next = truncated ? `<NextContinuationToken>${xmlText(page[page.length - 1].key)}</NextContinuationToken>` : '';
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${xmlText(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`;
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }).end(body);
}

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message.replace(/[<>&]/g, '')}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }).end(body);
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  // Read already by the permission check in front, for a function's put.
  const known = readBody(req);
  if (known) return known.body;
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The key a path names, or undefined when its percent-encoding is broken (`%zz`). */
function decodedKey(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/** Whether a request is an S3 call (SigV4 credential scope names the service). */
export function isS3Request(req: IncomingMessage): boolean {
  const auth = req.headers.authorization;
  return typeof auth === 'string' && /Credential=[^,]+\/s3\/aws4_request/.test(auth);
}

/** The SDK streams bodies with aws-chunked encoding: the payload without its chunk signatures. */
function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export function s3Listener(store: LocalObjectStore): RawListener {
  return {
    claims: isS3Request,
    listener: (req, res) => {
      void (async () => {
        // The path as sent, as the permission check reads it (no dot segments resolved: S3 keys are opaque).
        const target = req.url ?? '/';
        const mark = target.indexOf('?');
        const [, bucket, ...rest] = (mark < 0 ? target : target.slice(0, mark)).split('/');
        const key = decodedKey(rest.join('/'));
        if (key === undefined) return xmlError(res, 400, 'InvalidURI', 'the object key is not a valid percent-encoded path');
        if (!bucket || !LocalObjectStore.validBucket(bucket)) return xmlError(res, 400, 'InvalidBucketName', `bad bucket name ${bucket}`);
        const query = new URLSearchParams(mark < 0 ? '' : target.slice(mark + 1));
        if (!key && req.method === 'GET' && query.get('list-type') === '2') return listObjects(store, res, bucket, query);
        if (!key)
          return xmlError(
            res,
            501,
            'NotImplemented',
            'the local S3 API serves object calls (PutObject, GetObject, HeadObject, DeleteObject) and ListObjectsV2 only',
          );
        try {
          switch (req.method) {
            case 'PUT': {
              let body = await bodyOf(req);
              if (
                String(req.headers['content-encoding'] ?? '').includes('aws-chunked') ||
                String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-')
              )
                body = decodeAwsChunked(body);
              const mode = req.headers['x-amz-object-lock-mode'];
              const until = req.headers['x-amz-object-lock-retain-until-date'];
              const lock =
                typeof mode === 'string' && typeof until === 'string'
                  ? { mode: mode as 'COMPLIANCE' | 'GOVERNANCE', retainUntil: new Date(until).toISOString() }
                  : undefined;
              const ifNoneMatch = req.headers['if-none-match'] === '*';
              const meta = store.put(bucket, key, body, {
                contentType: String(req.headers['content-type'] ?? 'application/octet-stream'),
                ...(lock ? { lock } : {}),
                ifNoneMatch,
              });
              res.writeHead(200, { etag: meta.etag, 'content-length': 0 }).end();
              return;
            }
            case 'GET':
            case 'HEAD': {
              const got = store.get(bucket, key);
              if (!got) return req.method === 'HEAD' ? void res.writeHead(404).end() : xmlError(res, 404, 'NoSuchKey', `no object ${key} in ${bucket}`);
              const headers: Record<string, string | number> = {
                'content-type': got.meta.contentType,
                'content-length': got.meta.size,
                etag: got.meta.etag,
                'last-modified': new Date(got.meta.lastModified).toUTCString(),
              };
              if (got.meta.lock)
                Object.assign(headers, { 'x-amz-object-lock-mode': got.meta.lock.mode, 'x-amz-object-lock-retain-until-date': got.meta.lock.retainUntil });
              res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : got.body);
              return;
            }
            case 'DELETE':
              store.delete(bucket, key);
              res.writeHead(204).end();
              return;
            default:
              return xmlError(res, 405, 'MethodNotAllowed', `${req.method} is not served`);
          }
        } catch (error) {
          if (error instanceof ObjectLockedError) return xmlError(res, 403, 'AccessDenied', error.message);
          if (error instanceof ObjectExistsError) return xmlError(res, 412, 'PreconditionFailed', error.message);
          return xmlError(res, 500, 'InternalError', (error as Error).message);
        }
      })();
    },
  };
}
