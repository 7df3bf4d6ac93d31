/** The EventBridge Scheduler client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { cachedClient } from './client-config';

export const schedulerClient = cachedClient('SCHEDULER', (config) => new SchedulerClient(config));
