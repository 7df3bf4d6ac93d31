/** The Step Functions client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { SFNClient } from '@aws-sdk/client-sfn';
import { cachedClient } from './client-config';

export const sfnClient = cachedClient('SFN', (config) => new SFNClient(config));
