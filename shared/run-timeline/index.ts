/** Rendering of `aios runs` and `aios runs show`: pure functions over API and audit data. */
export { renderTimeline } from './timeline';
export { renderModelUsage, summariseModelUsage, type UsageRow } from './model-usage';
export { renderRunList, renderRunReport, machineName, type ExecutionLike, type RunReportInput } from './run-report';
export { formatDuration, formatOffset } from './durations';
export type { HistoryEventLike } from './history-event';
