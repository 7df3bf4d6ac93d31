/** The SES v2 client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { cachedClient } from './client-config';

export const sesV2Client = cachedClient('SESV2', (config) => new SESv2Client(config));
