/**
 * The input of a run a person started by hand: the input they gave (an
 * event file, a schedule's input, or `{}`) wrapped with who started it.
 * The compiled workflow tells it from an event by the top-level
 * `aiosManualStart` key, which no EventBridge event has (an event's top
 * level is its envelope): its start (events/emit-run-event.ts) records a
 * manual start naming the operator, not an `event.received` from the
 * event's source, and claims no webhook delivery (starting by hand twice
 * with one sample event is two runs, not a duplicate); then it unwraps the
 * input so the steps see it as given.
 *
 * Who started it is the operator's own word (`user@host` from the CLI, as an
 * approval typed with `aios approve --as` keeps it): anyone allowed to call
 * StartExecution can write any input, so the record says who typed the
 * command, not an identity the state machine verified.
 *
 * @example startedByHand({ source: 'saas.hubspot', 'detail-type': 'contact.creation', detail: {} }, { operator: 'sam@laptop', via: 'cli' })
 */

/** The top-level key of a manual start's input (JSONPath `$.aiosManualStart`). */
export const MANUAL_START_KEY = 'aiosManualStart';
/** The key under which a manual start carries the input the person gave. */
export const MANUAL_INPUT_KEY = 'input';

/** Who started a run by hand, and through what. */
export interface ManualStart {
  /** `user@host` as the machine the command was typed on knows them. */
  operator: string;
  via: 'cli';
}

/** The execution input of a run started by hand with `given` as its input. */
export function startedByHand(given: unknown, by: ManualStart): Record<string, unknown> {
  return { [MANUAL_START_KEY]: { operator: by.operator, via: by.via }, [MANUAL_INPUT_KEY]: given };
}

/** A marker read back, if it is well formed. */
function manualStartOf(marker: unknown): ManualStart | undefined {
  if (!marker || typeof marker !== 'object' || Array.isArray(marker)) return undefined;
  const m = marker as Record<string, unknown>;
  if (typeof m.operator !== 'string' || m.operator === '' || m.via !== 'cli') return undefined;
  return { operator: m.operator.slice(0, 256), via: m.via };
}

/**
 * An execution input read back: whether it was started by hand (the compiled workflow unwraps any input with the key),
 * who did (when the marker is well formed) and the input its steps saw.
 */
export function unwrapStartInput(value: unknown): { byHand: boolean; manual?: ManualStart; input: unknown } {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !(MANUAL_START_KEY in value)) return { byHand: false, input: value };
  const v = value as Record<string, unknown>;
  const manual = manualStartOf(v[MANUAL_START_KEY]);
  return { byHand: true, ...(manual ? { manual } : {}), input: v[MANUAL_INPUT_KEY] };
}

/**
 * The `resources` entry `aios send-event` adds to each event it puts on the bus: the event is a sample or a hand-made
 * one, typed by this operator, not something its source sent. (Like the manual start, the operator's own word.)
 */
export const SENT_BY_RESOURCE_PREFIX = 'aios:sent-by:';

/** Who put an event on the bus by hand (`aios send-event`), if it says. */
export function sentByOf(event: unknown): string | undefined {
  const resources = (event as { resources?: unknown } | null)?.resources;
  if (!Array.isArray(resources)) return undefined;
  const found = resources.find((r): r is string => typeof r === 'string' && r.startsWith(SENT_BY_RESOURCE_PREFIX));
  return found ? found.slice(SENT_BY_RESOURCE_PREFIX.length, SENT_BY_RESOURCE_PREFIX.length + 256) || undefined : undefined;
}
