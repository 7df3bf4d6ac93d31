/**
 * Step Functions history events as GetExecutionHistory returns them (the
 * SDK gives `timestamp` as a Date; the JSON wire and fixtures give epoch
 * seconds or ISO strings), normalised for rendering.
 */

/** One event in GetExecutionHistory's shape; details live under `<type>EventDetails`. */
export interface HistoryEventLike {
  id?: number;
  previousEventId?: number;
  type?: string;
  timestamp?: Date | number | string;
}

export interface TimelineEvent {
  id: number;
  previousEventId: number;
  type: string;
  /** Epoch milliseconds. */
  at: number;
  details: Record<string, unknown>;
}

function epochMs(t: HistoryEventLike['timestamp']): number {
  if (t instanceof Date) return t.getTime();
  if (typeof t === 'number') return t < 1e11 ? t * 1000 : t; // JSON 1.0 sends seconds
  if (typeof t === 'string') return Date.parse(t);
  return Number.NaN;
}

/** The key GetExecutionHistory puts an event type's details under. */
export function detailsKeyOf(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
}

/** Normalises and orders events by id. */
export function toTimelineEvents(events: readonly HistoryEventLike[]): TimelineEvent[] {
  return events
    .map((e) => {
      const type = String(e.type ?? 'Unknown');
      const details = (e as Record<string, unknown>)[detailsKeyOf(type)];
      return {
        id: Number(e.id),
        previousEventId: Number(e.previousEventId ?? 0),
        type,
        at: epochMs(e.timestamp),
        details: details && typeof details === 'object' ? (details as Record<string, unknown>) : {},
      };
    })
    .sort((a, b) => a.id - b.id);
}

/** Parses a JSON string detail (input, output, parameters); undefined when absent or not JSON. */
export function parseJsonDetail(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
