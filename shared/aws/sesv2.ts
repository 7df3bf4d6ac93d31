/** The SES v2 client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { cachedClient } from './client-config';

// Pure: a bundle that never asks for this client drops it and its SDK package.
export const sesV2Client = /* @__PURE__ */ cachedClient('SESV2', (config) => new SESv2Client(config));
