/** The Step Functions client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { SFNClient } from '@aws-sdk/client-sfn';
import { cachedClient } from './client-config';

// Pure: a bundle that never asks for this client drops it and its SDK package.
export const sfnClient = /* @__PURE__ */ cachedClient('SFN', (config) => new SFNClient(config));
