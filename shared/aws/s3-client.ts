/** The S3 client (large webhook deliveries, the audit archive); the only importer of its SDK. */
import { S3Client } from '@aws-sdk/client-s3';
import { cachedClient } from './client-config';

/**
 * One client per configuration, made on first use: the audit archiver runs once per batch of
 * audit writes, and a client made per run would open a new connection (and resolve its
 * configuration again) every time.
 */
// Pure: a bundle that never asks for this client drops it and its SDK package.
export const s3Client = /* @__PURE__ */ cachedClient(
  'S3',
  // The local runtime serves S3 on its one port: path-style, since `bucket.127.0.0.1` resolves nowhere.
  (config) => new S3Client({ ...config, ...(config.endpoint ? { forcePathStyle: true } : {}) }),
);
