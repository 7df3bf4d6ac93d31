import type { StoredEvent } from './history-chunk';

/**
 * History events in GetExecutionHistory's shape: `{ timestamp, type, id,
 * previousEventId, <detailsKey>: {...} }`.
 */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

const NO_DETAILS = new Set([
  'ParallelStateStarted',
  'ParallelStateSucceeded',
  'ParallelStateFailed',
  'ParallelStateAborted',
  'MapStateSucceeded',
  'MapStateFailed',
  'MapStateAborted',
  'LambdaFunctionStarted',
]);

/** The key GetExecutionHistory uses for an event type's details. */
export function detailsKey(type: string): string | null {
  if (NO_DETAILS.has(type)) return null;
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
}

/**
 * Builds the API shape from a stored event (timestamps in epoch seconds, as
 * JSON 1.0 sends them). The payload (a state's input or output) is stored as
 * a value and serialised here, so writing history never escapes JSON in JSON.
 */
export function toHistoryEvent(stored: StoredEvent): HistoryEvent {
  const [id, ts, type, prev, details, payloadKey, payload] = stored;
  const event: HistoryEvent = { timestamp: ts / 1000, type, id, previousEventId: prev };
  const key = detailsKey(type);
  if (key && (details || payloadKey)) {
    // State events store only the state name (they are most of the history).
    const d: Record<string, unknown> = typeof details === 'string' ? { name: details } : { ...(details ?? {}) };
    if (payloadKey) {
      d[payloadKey] = JSON.stringify(payload === undefined ? null : payload);
      d[`${payloadKey}Details`] = { truncated: false };
    }
    event[key] = d;
  }
  return event;
}
