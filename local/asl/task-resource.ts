/**
 * Task resources the local engine runs: Lambda functions, directly by ARN or
 * through the `arn:aws:states:::lambda:invoke` integration, each optionally
 * with `.waitForTaskToken`.
 */
export interface TaskResource {
  /** `direct`: the state's input is the event; `invoke`: Parameters carry FunctionName and Payload. */
  kind: 'direct' | 'invoke';
  waitForTaskToken: boolean;
  /** Function name for `direct` (for `invoke` it comes from Parameters.FunctionName). */
  functionName?: string;
}

const LAMBDA_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/;

/** Parsed resources (a definition names a handful; every Task entered, each item of a Map, parsed its own again). */
const parsed = new Map<string, Readonly<TaskResource> | null>();

/** Parses a Task Resource, or returns null if the local engine cannot run it. The answer is shared: read only. */
export function parseTaskResource(resource: string): Readonly<TaskResource> | null {
  let known = parsed.get(resource);
  if (known === undefined) {
    known = parseResource(resource);
    if (known) Object.freeze(known);
    if (parsed.size >= 10_000) parsed.clear();
    parsed.set(resource, known);
  }
  return known;
}

function parseResource(resource: string): TaskResource | null {
  const wait = resource.endsWith('.waitForTaskToken');
  const base = wait ? resource.slice(0, -'.waitForTaskToken'.length) : resource;
  if (/^arn:aws[a-zA-Z-]*:states:::lambda:invoke$/.test(base)) return { kind: 'invoke', waitForTaskToken: wait };
  const m = LAMBDA_ARN.exec(base);
  if (m) return { kind: 'direct', waitForTaskToken: wait, functionName: m[1] };
  return null;
}

/** Function name from a Lambda FunctionName parameter: a name, a partial or full ARN, with or without a qualifier. */
export function functionNameOf(value: string): string {
  // A name alone (the common case) is itself: no array of parts per lambda:invoke call.
  if (value.indexOf(':') < 0) return value;
  const parts = value.split(':');
  if (value.startsWith('arn:')) return parts[6] ?? value;
  if (parts.length >= 3 && parts[1] === 'function') return parts[2];
  return parts[0];
}
