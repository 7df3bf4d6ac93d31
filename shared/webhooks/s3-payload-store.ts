/** The payload store on S3 (a bucket of the stack; the local runtime's S3 API on one machine). */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { PayloadReader, PayloadRef, PayloadStore } from './payload-store';
import { createHash } from 'node:crypto';

export class S3PayloadStore implements PayloadStore, PayloadReader {
  constructor(
    private readonly client: Pick<S3Client, 'send'>,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Buffer, contentType: string): Promise<PayloadRef> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
    return { bucket: this.bucket, key, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
  }

  async get(ref: PayloadRef): Promise<Buffer> {
    const got = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: ref.key }));
    return Buffer.from(await got.Body!.transformToByteArray());
  }
}
