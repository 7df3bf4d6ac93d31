/** The EventBridge Scheduler client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { cachedClient } from './client-config';

// Pure: a bundle that never asks for this client drops it and its SDK package.
export const schedulerClient = /* @__PURE__ */ cachedClient('SCHEDULER', (config) => new SchedulerClient(config));
