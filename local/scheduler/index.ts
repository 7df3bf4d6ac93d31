export { LocalScheduler } from './local-scheduler';
export type { LocalSchedulerOptions, ScheduledWorkflow } from './local-scheduler';
export { FiredSlots } from './fired-slots';
