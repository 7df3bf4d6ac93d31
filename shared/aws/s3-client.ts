/** The S3 client (large webhook deliveries, the audit archive); the only importer of its SDK. */
import { S3Client } from '@aws-sdk/client-s3';
import { clientConfig, type ClientOptions } from './client-config';

export function s3Client(options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): S3Client {
  const config = clientConfig('S3', options, env);
  // The local runtime serves S3 on its one port: path-style, since `bucket.127.0.0.1` resolves nowhere.
  return new S3Client({ ...config, ...(config.endpoint ? { forcePathStyle: true } : {}) });
}
