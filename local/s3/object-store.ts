/**
 * Objects of the local S3 API, kept in the data folder: one file per object
 * body and one JSON file with its metadata (content type, ETag, Object Lock
 * retention). A locked object cannot be overwritten or deleted before its
 * retention date, as S3 Object Lock in compliance mode behaves.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ObjectMeta {
  /** The object's key (absent in metadata written before listing was served). */
  key?: string;
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

export class ObjectExistsError extends Error {
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(`object ${key} in ${bucket} exists (If-None-Match: *)`);
    this.name = 'PreconditionFailed';
  }
}

/** A bucket's Object Lock default: every object put without its own retention is locked this long. */
export interface BucketLockDefault {
  mode: 'COMPLIANCE' | 'GOVERNANCE';
  days: number;
}

export class LocalObjectStore {
  /** Bucket folders this store has made (nothing else removes them). */
  private readonly madeDirs = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly now: () => Date = () => new Date(),
    /** Buckets created with Object Lock and a default retention (as the stack creates the audit archive). */
    private readonly lockDefaults: Readonly<Record<string, BucketLockDefault>> = {},
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
    return this.metaIn(this.files(bucket, key));
  }

  private metaIn(f: { meta: string }): ObjectMeta | undefined {
    return existsSync(f.meta) ? (JSON.parse(readFileSync(f.meta, 'utf8')) as ObjectMeta) : undefined;
  }

  get(bucket: string, key: string): { meta: ObjectMeta; body: Buffer } | undefined {
    const f = this.files(bucket, key);
    const meta = this.metaIn(f);
    return meta ? { meta, body: readFileSync(f.body) } : undefined;
  }

  /** `current`: the object's metadata when the caller has just read it (undefined is an answer: no object). */
  private assertUnlocked(bucket: string, key: string, current?: { meta: ObjectMeta | undefined }): void {
    const lock = (current ? current.meta : this.head(bucket, key))?.lock;
    if (lock && Date.parse(lock.retainUntil) > this.now().getTime()) throw new ObjectLockedError(bucket, key, lock.retainUntil);
  }

  put(bucket: string, key: string, body: Buffer, options: { contentType?: string; lock?: ObjectMeta['lock']; ifNoneMatch?: boolean } = {}): ObjectMeta {
    // One look at the current object answers both checks (the audit archiver puts every record with If-None-Match).
    const f = this.files(bucket, key);
    const current = this.metaIn(f);
    if (options.ifNoneMatch && current) throw new ObjectExistsError(bucket, key);
    this.assertUnlocked(bucket, key, { meta: current });
    const dir = path.dirname(f.body);
    if (!this.madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    const byDefault = this.lockDefaults[bucket];
    const lock =
      options.lock ??
      (byDefault ? { mode: byDefault.mode, retainUntil: new Date(this.now().getTime() + byDefault.days * 86_400_000).toISOString() } : undefined);
    const meta: ObjectMeta = {
      key,
      contentType: options.contentType ?? 'application/octet-stream',
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      size: body.length,
      lastModified: this.now().toISOString(),
      ...(lock ? { lock } : {}),
    };
    // Body first, metadata last: an object is visible only once both are whole. A new object's body is written in
    // place (no object reads it until its metadata exists; a body cut short by a crash is overwritten by the next put);
    // an existing object's body is replaced whole, by a rename.
    if (current) {
      writeFileSync(`${f.body}.tmp`, body);
      renameSync(`${f.body}.tmp`, f.body);
    } else writeFileSync(f.body, body);
    writeFileSync(`${f.meta}.tmp`, JSON.stringify(meta));
    renameSync(`${f.meta}.tmp`, f.meta);
    return meta;
  }

  /** Keys under a prefix, in order (objects whose metadata names its key). */
  list(bucket: string, prefix: string): { key: string; meta: ObjectMeta }[] {
    const dir = path.join(this.root, bucket);
    if (!existsSync(dir)) return [];
    const out: { key: string; meta: ObjectMeta }[] = [];
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json')) continue;
      const meta = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ObjectMeta;
      if (meta.key?.startsWith(prefix)) out.push({ key: meta.key, meta });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  delete(bucket: string, key: string): void {
    this.assertUnlocked(bucket, key);
    const f = this.files(bucket, key);
    rmSync(f.meta, { force: true });
    rmSync(f.body, { force: true });
  }
}
