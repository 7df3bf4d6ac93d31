/**
 * Objects of the local S3 API, kept in the data folder: one file per object
 * body and one JSON file with its metadata (content type, ETag, Object Lock
 * retention). A locked object cannot be overwritten or deleted before its
 * retention date, as S3 Object Lock in compliance mode behaves.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ObjectMeta {
  contentType: string;
  etag: string;
  size: number;
  lastModified: string;
  lock?: { mode: 'COMPLIANCE' | 'GOVERNANCE'; retainUntil: string };
}

export class ObjectLockedError extends Error {
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly retainUntil: string,
  ) {
    super(`object ${key} in ${bucket} is locked until ${retainUntil}`);
    this.name = 'AccessDenied';
  }
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export class LocalObjectStore {
  constructor(
    private readonly root: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static validBucket(name: string): boolean {
    return BUCKET.test(name);
  }

  private files(bucket: string, key: string): { body: string; meta: string } {
    // Keys may hold any character: the file name is a digest, the key is kept in the metadata's place.
    const id = createHash('sha256').update(key).digest('hex');
    const dir = path.join(this.root, bucket);
    return { body: path.join(dir, `${id}.body`), meta: path.join(dir, `${id}.json`) };
  }

  head(bucket: string, key: string): ObjectMeta | undefined {
    const f = this.files(bucket, key);
    return existsSync(f.meta) ? (JSON.parse(readFileSync(f.meta, 'utf8')) as ObjectMeta) : undefined;
  }

  get(bucket: string, key: string): { meta: ObjectMeta; body: Buffer } | undefined {
    const meta = this.head(bucket, key);
    return meta ? { meta, body: readFileSync(this.files(bucket, key).body) } : undefined;
  }

  private assertUnlocked(bucket: string, key: string): void {
    const lock = this.head(bucket, key)?.lock;
    if (lock && Date.parse(lock.retainUntil) > this.now().getTime()) throw new ObjectLockedError(bucket, key, lock.retainUntil);
  }

  put(bucket: string, key: string, body: Buffer, options: { contentType?: string; lock?: ObjectMeta['lock'] } = {}): ObjectMeta {
    this.assertUnlocked(bucket, key);
    const f = this.files(bucket, key);
    mkdirSync(path.dirname(f.body), { recursive: true });
    const meta: ObjectMeta = {
      contentType: options.contentType ?? 'application/octet-stream',
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      size: body.length,
      lastModified: this.now().toISOString(),
      ...(options.lock ? { lock: options.lock } : {}),
    };
    // Body first, metadata last: an object is visible only once both are whole.
    writeFileSync(`${f.body}.tmp`, body);
    renameSync(`${f.body}.tmp`, f.body);
    writeFileSync(`${f.meta}.tmp`, JSON.stringify(meta));
    renameSync(`${f.meta}.tmp`, f.meta);
    return meta;
  }

  delete(bucket: string, key: string): void {
    this.assertUnlocked(bucket, key);
    const f = this.files(bucket, key);
    rmSync(f.meta, { force: true });
    rmSync(f.body, { force: true });
  }
}
