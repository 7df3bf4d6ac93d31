/** The S3 client (large webhook deliveries, the audit archive); the only importer of its SDK. */
import { S3Client } from '@aws-sdk/client-s3';
import { baseConfig, type ClientOptions } from './clients';

export function s3Client(options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): S3Client {
  const config = baseConfig('S3', options, env);
  // The local runtime serves S3 on its one port: path-style, since `bucket.127.0.0.1` resolves nowhere.
  return new S3Client({ ...config, ...(config.endpoint ? { forcePathStyle: true } : {}) });
}
