/** The audit archive on S3: a bucket with Object Lock on AWS, the local runtime's S3 API (lock honoured) on one machine. */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ArchiveStore } from './archive';

export class S3ArchiveStore implements ArchiveStore {
  constructor(
    private readonly client: Pick<S3Client, 'send'>,
    private readonly bucket: string,
  ) {}

  async putNew(key: string, body: string): Promise<boolean> {
    try {
      // The bucket's default retention locks the object; If-None-Match keeps a redelivered batch from adding a version.
      const ContentType = key.endsWith('.jsonl') ? 'application/x-ndjson' : 'application/json';
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType, IfNoneMatch: '*' }));
      return true;
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'PreconditionFailed' || e.$metadata?.httpStatusCode === 412) return false;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(ContinuationToken ? { ContinuationToken } : {}) }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return keys;
  }

  async get(key: string): Promise<string> {
    const got = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return got.Body!.transformToString();
  }
}
