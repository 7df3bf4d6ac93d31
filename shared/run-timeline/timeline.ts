/**
 * Renders a Step Functions execution history as a readable timeline: time
 * offset from the start, states entered and exited (indented inside Parallel
 * branches), tasks scheduled / succeeded / failed with their error, waits,
 * approvals waiting, and Map iterations summarised one line each.
 *
 * Map iterations can run concurrently, so their events interleave. An
 * iteration's events chain through `previousEventId` (each points at the
 * previous event of the same iteration), which is how they are told apart:
 * the k-th chain that starts inside a Map is the k-th iteration started.
 */
import { eventText } from '../audit/record-text';
import { sentByOf, unwrapStartInput } from '../contracts/manual-start';
import { formatDuration, formatOffset } from './durations';
import { parseJsonDetail, toTimelineEvents, type HistoryEventLike, type TimelineEvent } from './history-event';
import { describeError, describeTaskOutput, scheduledTask, type ScheduledTask } from './task-outcome';

interface Iteration {
  index: number;
  startedAt: number;
  /** What happened, in order: task outcomes and terminal states. */
  steps: string[];
  /** The state it is in now. */
  current: string;
  waiting?: string;
  ended: boolean;
}

interface MapScope {
  kind: 'map';
  name: string;
  started: boolean;
  startedIndices: number[];
  byEvent: Map<number, Iteration>;
  iterations: Iteration[];
  succeeded: number;
  failed: number;
}

interface ParallelScope {
  kind: 'parallel';
  name: string;
}

type Scope = MapScope | ParallelScope;

const STATE_EVENT = /^(\w+?)State(Entered|Exited)$/;
const TASK_END = new Set([
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut',
  'LambdaFunctionSucceeded',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionScheduleFailed',
  'LambdaFunctionStartFailed',
  'TaskStartFailed',
  'TaskSubmitFailed',
]);
const SILENT = new Set(['TaskStarted', 'TaskSubmitted', 'LambdaFunctionStarted', 'ParallelStateStarted', 'ParallelStateSucceeded']);

/** An event as its source, type and id (and the replay it came in, or who sent it by hand); any other input as its size. */
function describeGiven(value: unknown, text: string): string {
  const r = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  // Said as the run's audit trail says it (its record names the event with these fields).
  if (r && typeof r.source === 'string' && typeof r['detail-type'] === 'string')
    return eventText({ source: r.source, detailType: r['detail-type'], eventId: r.id, replayName: r['replay-name'], sentBy: sentByOf(r) });
  return `input ${Buffer.byteLength(text)} bytes`;
}

function describeInput(input: unknown): string {
  if (typeof input !== 'string') return 'no input';
  const { manual, input: given } = unwrapStartInput(parseJsonDetail(input));
  if (!manual) return describeGiven(given, input);
  const what = given && typeof given === 'object' && Object.keys(given).length === 0 ? 'none' : describeGiven(given, JSON.stringify(given ?? null));
  return `by hand, by ${manual.operator} (${manual.via}); input: ${what}`;
}

/**
 * Whether an event inside a Map is an iteration's (rather than the Map's own
 * bookkeeping). Nameless MapState* events of a nested Map chain on an
 * iteration; the Map's own chain on the Map.
 */
function belongsToIteration(scope: MapScope, e: TimelineEvent): boolean {
  if (e.type.startsWith('Execution')) return false;
  if (STATE_EVENT.test(e.type) || e.type.startsWith('MapIteration')) return e.details.name !== scope.name;
  if (e.type.startsWith('MapState')) return scope.byEvent.has(e.previousEventId);
  return true;
}

/** Drops the Map's own step prefix (`Triage: act` → `Triage: `) from its inner state names. */
function shortName(scope: MapScope, name: string): string {
  const colon = scope.name.indexOf(': ');
  if (colon === -1) return name;
  const prefix = scope.name.slice(0, colon + 2);
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/**
 * Lines of the timeline, one event (or Map iteration) a line.
 *
 * @example renderTimeline((await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [])
 */
export function renderTimeline(history: readonly HistoryEventLike[]): string[] {
  const events = toTimelineEvents(history);
  if (events.length === 0) return ['(no history events)'];
  const byId = new Map(events.map((e) => [e.id, e]));
  const t0 = events.find((e) => e.type === 'ExecutionStarted')?.at ?? events[0].at;
  const lines: string[] = [];
  const scopes: Scope[] = [];
  const enteredAt = new Map<string, number>();
  let ended = false;

  const say = (e: TimelineEvent, text: string, extraIndent = 0) => {
    const at = Number.isNaN(e.at) ? '        ?' : formatOffset(e.at - t0);
    lines.push(`${at}  ${'  '.repeat(scopes.length + extraIndent)}${text}`);
  };
  const top = (): Scope | undefined => scopes[scopes.length - 1];
  const mapScope = (): MapScope | undefined => {
    const s = top();
    return s?.kind === 'map' ? s : undefined;
  };

  /** The task's scheduling event, found by walking back this event's chain. */
  const scheduleOf = (e: TimelineEvent): { event: TimelineEvent; task: ScheduledTask } | undefined => {
    let cursor = byId.get(e.previousEventId);
    for (let hops = 0; cursor && hops < 6; hops++) {
      if (cursor.type === 'TaskScheduled' || cursor.type === 'LambdaFunctionScheduled')
        return { event: cursor, task: scheduledTask(cursor.type, cursor.details) };
      cursor = byId.get(cursor.previousEventId);
    }
    return undefined;
  };

  const iterationOf = (scope: MapScope, e: TimelineEvent): Iteration => {
    let it = scope.byEvent.get(e.previousEventId);
    if (!it) {
      const k = scope.iterations.length;
      it = { index: scope.startedIndices[k] ?? k, startedAt: e.at, steps: [], current: '', ended: false };
      scope.iterations.push(it);
    }
    scope.byEvent.set(e.id, it);
    return it;
  };

  const taskEnd = (e: TimelineEvent): { text: string; ok: boolean; target: string; approval: boolean } => {
    const scheduled = scheduleOf(e);
    const target = scheduled?.task.target ?? 'task';
    const took = scheduled ? ` in ${formatDuration(e.at - scheduled.event.at)}` : '';
    const approval = Boolean(scheduled?.task.approval);
    if (e.type.endsWith('Succeeded')) {
      const what = describeTaskOutput(e.details.output);
      return { text: `✓ ${target} succeeded${took}${what ? `: ${what}` : ''}`, ok: true, target, approval };
    }
    if (e.type.endsWith('TimedOut'))
      return { text: `⏱ ${target} timed out${took}: ${describeError(e.details.error, e.details.cause)}`, ok: false, target, approval };
    return { text: `✗ ${target} failed${took}: ${describeError(e.details.error, e.details.cause)}`, ok: false, target, approval };
  };

  for (const e of events) {
    const scope = mapScope();
    if (scope && belongsToIteration(scope, e)) {
      const it = iterationOf(scope, e);
      const state = STATE_EVENT.exec(e.type);
      const name = typeof e.details.name === 'string' ? shortName(scope, e.details.name) : '';
      if (state && state[2] === 'Entered') {
        it.current = name;
        if (['Pass', 'Fail', 'Succeed', 'Wait'].includes(state[1])) it.steps.push(name);
      } else if (e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled') {
        const task = scheduledTask(e.type, e.details);
        if (task.approval) {
          it.waiting = task.approval;
          say(e, `[${it.index}] ⏸ ${task.approval}`);
        }
      } else if (TASK_END.has(e.type)) {
        const end = taskEnd(e);
        const outcome = end.ok ? describeTaskOutput(e.details.output, true) : describeError(e.details.error, e.details.cause);
        it.steps.push(`${it.current}${outcome ? `: ${outcome}` : ''}`);
        if (end.approval) it.waiting = undefined;
        // Failures and approval decisions are worth a line of their own; other successes fold into the summary.
        if (!end.ok || end.approval) say(e, `[${it.index}] ${end.text}`);
      }
      continue;
    }

    const state = STATE_EVENT.exec(e.type);
    if (state) {
      const [, kind, phase] = state;
      const name = String(e.details.name ?? '?');
      if (phase === 'Entered') {
        enteredAt.set(name, e.at);
        say(e, `▸ ${name} (${kind})`);
        if (kind === 'Map') scopes.push({ kind: 'map', name, started: false, startedIndices: [], byEvent: new Map(), iterations: [], succeeded: 0, failed: 0 });
        if (kind === 'Parallel') scopes.push({ kind: 'parallel', name });
      } else {
        const s = top();
        if (s && s.name === name && (kind === 'Map' || kind === 'Parallel')) scopes.pop();
        const since = enteredAt.get(name);
        say(e, `◂ ${name}${since !== undefined ? ` (${formatDuration(e.at - since)})` : ''}`);
      }
      continue;
    }

    switch (e.type) {
      case 'ExecutionStarted':
        say(e, `▶ execution started: ${describeInput(e.details.input)}`);
        break;
      case 'ExecutionSucceeded':
        ended = true;
        say(e, `■ execution succeeded after ${formatDuration(e.at - t0)}`);
        break;
      case 'ExecutionFailed':
        ended = true;
        say(e, `■ execution failed after ${formatDuration(e.at - t0)}: ${describeError(e.details.error, e.details.cause)}`);
        break;
      case 'ExecutionTimedOut':
        ended = true;
        say(e, `■ execution timed out after ${formatDuration(e.at - t0)}${e.details.error ? `: ${describeError(e.details.error, e.details.cause)}` : ''}`);
        break;
      case 'ExecutionAborted':
        ended = true;
        say(e, `■ execution aborted after ${formatDuration(e.at - t0)}${e.details.error ? `: ${describeError(e.details.error, e.details.cause)}` : ''}`);
        break;
      case 'TaskScheduled':
      case 'LambdaFunctionScheduled': {
        const task = scheduledTask(e.type, e.details);
        say(
          e,
          task.approval ? `⏸ ${task.approval}` : task.waitsForToken ? `⏸ ${task.target} scheduled: waiting for a task token` : `${task.target} scheduled`,
          1,
        );
        break;
      }
      case 'MapStateStarted':
        if (scope && !scope.started) {
          scope.started = true;
          const n = Number(e.details.length ?? 0);
          say(e, `map over ${n} item${n === 1 ? '' : 's'}`);
        }
        break;
      case 'MapIterationStarted':
        if (scope && e.details.name === scope.name) scope.startedIndices.push(Number(e.details.index));
        break;
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
      case 'MapIterationAborted': {
        if (!scope) break;
        const index = Number(e.details.index);
        const it = scope.iterations.find((i) => i.index === index) ?? { index, startedAt: e.at, steps: [], current: '', ended: false };
        it.ended = true;
        const path = it.steps.length ? it.steps.join(' · ') : it.current;
        const took = formatDuration(e.at - it.startedAt);
        if (e.type === 'MapIterationSucceeded') {
          scope.succeeded++;
          say(e, `[${index}] ✓ ${took}: ${path}`);
        } else if (e.type === 'MapIterationFailed') {
          scope.failed++;
          say(e, `[${index}] ✗ ${took}: ${path}${it.steps.length ? '' : ` ${describeError(e.details.error, e.details.cause)}`}`);
        } else {
          say(e, `[${index}] aborted in ${it.current || 'its first state'}`);
        }
        break;
      }
      case 'MapStateSucceeded':
      case 'MapStateFailed':
      case 'MapStateAborted':
        if (scope) {
          say(
            e,
            `map ${e.type === 'MapStateSucceeded' ? 'done' : e.type === 'MapStateFailed' ? 'failed' : 'aborted'}: ${scope.succeeded} succeeded${scope.failed ? `, ${scope.failed} failed` : ''}`,
          );
          // A failed Map exits only when a Catch handles it; close its scope now either way.
          if (e.type !== 'MapStateSucceeded') scopes.pop();
        }
        break;
      case 'ParallelStateFailed':
      case 'ParallelStateAborted':
        say(e, `parallel ${e.type === 'ParallelStateFailed' ? 'failed' : 'aborted'}`);
        if (top()?.kind === 'parallel') scopes.pop();
        break;
      default:
        if (TASK_END.has(e.type)) say(e, taskEnd(e).text, 1);
        else if (!SILENT.has(e.type)) say(e, e.type);
    }
  }

  if (!ended) {
    const last = events[events.length - 1];
    for (const scope of scopes) {
      if (scope.kind !== 'map') continue;
      for (const it of scope.iterations.filter((i) => !i.ended)) {
        lines.push(
          `${' '.repeat(9)}  ${'  '.repeat(scopes.length)}[${it.index}] … ${it.waiting ? it.waiting : `running in ${it.current || 'its first state'}`}`,
        );
      }
    }
    say(last, '… still running');
  }
  return lines;
}
