/**
 * Map and Parallel: a state that forks child frames (one per iteration or
 * branch), starts them within MaxConcurrency, collects their results in
 * order, and fails (aborting the rest) past the tolerated failures.
 */
import { StatesExceedToleratedFailureThresholdError, toStatesError, type StatesError } from '../asl/errors';
import { exceedsTolerance, mapItemInput, mapProcessor } from '../asl/states/map';
import type { StateStep } from '../asl/step';
import type { JsonValue, StateDefinition } from '../asl/types';
import type { EngineCore } from './core';
import { Frame } from './frame';
import { constantJsonDetails, jsonDetails, type EncodedDetails } from './history-chunk';
import { addForked, ENTER, type Run } from './run';
import { forkRedrive } from './redrive';
import { contextObject } from './state-context';
import type { TaskHost, TaskInvocation } from './task-invocation';

/**
 * The details of each index's iteration events, per Map state name: `{"name":<state>,"index":<i>}`, read only, shared by
 * every Map that state runs and by both events of an item (made per event, they were four strings and an object each:
 * ~0.3 KB of garbage per item). Indices past ITERATION_CACHE, and names past as many, are made per event.
 */
const iterationDetails = new Map<string, { head: string; byIndex: EncodedDetails[] }>();
const ITERATION_CACHE = 10_000;

/** `{ name, index }` of a Map iteration event, written as JSON directly (two of them per item). */
function iteration(parent: Frame, child: Frame): EncodedDetails {
  const name = parent.data.state;
  let known = iterationDetails.get(name);
  if (known === undefined) {
    known = { head: `{"name":${JSON.stringify(name)},"index":`, byIndex: [] };
    if (iterationDetails.size < ITERATION_CACHE) iterationDetails.set(name, known);
  }
  const idx = child.data.idx;
  if (idx >= ITERATION_CACHE) return jsonDetails(`${known.head}${idx}}`);
  let details = known.byIndex[idx];
  if (details === undefined) {
    // Filled in index order as Maps run (no holes: a holey array would make every read slower).
    while (known.byIndex.length < idx) known.byIndex.push(constantJsonDetails(`${known.head}${known.byIndex.length}}`));
    details = constantJsonDetails(`${known.head}${idx}}`);
    known.byIndex.push(details);
  }
  return details;
}

export class Forks {
  private readonly batch;

  constructor(
    private readonly core: EngineCore,
    private readonly host: TaskHost,
    private readonly tasks: TaskInvocation,
  ) {
    this.batch = core.batch;
  }

  fork(run: Run, frame: Frame, state: StateDefinition, step: StateStep & { kind: 'parallel' | 'map' }): void {
    const children: Frame[] = [];
    if (step.kind === 'parallel') {
      this.batch.emit(run, frame, 'ParallelStateStarted', null);
      state.Branches!.forEach((branch, i) =>
        children.push(new Frame(this.core.frameData(frame.data.id, i, branch.StartAt, step.input, 'pending'), run.arn, frame, branch)),
      );
    } else {
      this.batch.emit(run, frame, 'MapStateStarted', { length: step.items.length });
      const processor = mapProcessor(state);
      const ctx = contextObject(run, frame);
      try {
        step.items.forEach((item, i) => {
          const input = step.itemInputs ? step.itemInputs[i] : mapItemInput(state, step.input, item, i, ctx);
          children.push(new Frame(this.core.frameData(frame.data.id, i, processor.StartAt, input, 'pending'), run.arn, frame, processor));
        });
      } catch (error) {
        this.batch.emit(run, frame, 'MapStateFailed', null);
        this.host.stateFailed(run, frame, state, toStatesError(error));
        return;
      }
    }
    frame.children = children;
    for (const child of children) addForked(run, child);
    frame.data.fork = {
      kind: step.kind,
      total: children.length,
      running: 0,
      finished: 0,
      failed: 0,
      nextIndex: 0,
      maxConcurrency: step.kind === 'map' ? step.maxConcurrency : 0,
      toleratedCount: step.kind === 'map' ? step.toleratedCount : null,
      toleratedPercentage: step.kind === 'map' ? step.toleratedPercentage : null,
    };
    this.batch.setPhase(frame, 'fork');
    for (const child of children) this.batch.persist(child);
    this.advance(run, frame);
  }

  /** Starts children up to MaxConcurrency; once all have ended, completes the state with their results. */
  advance(run: Run, parent: Frame): void {
    const fork = parent.data.fork!;
    const state = parent.def.States[parent.data.state];
    while (fork.nextIndex < fork.total && (fork.maxConcurrency === 0 || fork.running < fork.maxConcurrency)) {
      const child = parent.children[fork.nextIndex++];
      // Succeeded before a redrive: keeps its output, does not run again.
      if (child.data.phase !== 'pending') continue;
      fork.running++;
      if (fork.kind === 'map') this.batch.emit(run, parent, 'MapIterationStarted', iteration(parent, child));
      child.data.phase = 'ready';
      child.gen++;
      this.batch.persist(child);
      this.batch.queue.push({ kind: 'frame', frame: child, gen: child.gen, event: ENTER });
    }
    this.batch.persist(parent);
    if (fork.finished + fork.failed < fork.total) return;
    const results = parent.children.map((c) =>
      c.data.phase === 'done' ? (c.data.output ?? null) : { Error: c.data.failure?.error ?? '', Cause: c.data.failure?.cause ?? '' },
    );
    this.batch.emit(run, parent, fork.kind === 'map' ? 'MapStateSucceeded' : 'ParallelStateSucceeded', null);
    this.dropChildren(run, parent);
    parent.data.fork = undefined;
    this.host.completed(run, parent, state, results);
  }

  /** A child frame reached the end of its branch or iteration. */
  childFinished(run: Run, frame: Frame, output: JsonValue): void {
    frame.data.output = output;
    this.batch.setPhase(frame, 'done');
    const parent = frame.parent!;
    const fork = parent.data.fork!;
    fork.running--;
    fork.finished++;
    if (fork.kind === 'map') this.batch.emit(run, parent, 'MapIterationSucceeded', iteration(parent, frame));
    this.advance(run, parent);
  }

  /** A child frame failed: the state fails unless a Map tolerates it. */
  childFailed(run: Run, frame: Frame, error: StatesError): void {
    frame.data.failure = { error: error.name, cause: error.causeText };
    this.batch.setPhase(frame, 'failed');
    const parent = frame.parent!;
    const fork = parent.data.fork!;
    const parentState = parent.def.States[parent.data.state];
    fork.running--;
    fork.failed++;
    if (fork.kind === 'map')
      this.batch.emit(run, parent, 'MapIterationFailed', { name: parent.data.state, index: frame.data.idx, error: error.name, cause: error.causeText });
    const tolerant = fork.kind === 'map' && (fork.toleratedCount !== null || fork.toleratedPercentage !== null);
    if (!tolerant || exceedsTolerance(fork.failed, fork.total, fork.toleratedCount, fork.toleratedPercentage)) {
      const cause = tolerant
        ? new StatesExceedToleratedFailureThresholdError(`The Map state failed: ${fork.failed} of ${fork.total} iterations failed, more than tolerated`)
        : error;
      this.batch.emit(run, parent, `${parentState.Type}StateFailed`, null);
      // Taken before the abort: a redrive of the execution continues these children.
      parent.data.failedFork = forkRedrive(parent);
      this.abortChildren(run, parent);
      parent.data.fork = undefined;
      this.host.stateFailed(run, parent, parentState, cause);
      return;
    }
    this.advance(run, parent);
  }

  /**
   * Entering a Map or Parallel state on a redrive: its children are rebuilt
   * from where the failed attempt left them; those that succeeded keep their
   * output, the rest start again (MapIterationStarted as on the first attempt).
   */
  resume(run: Run, frame: Frame, state: StateDefinition): void {
    const saved = frame.data.redriveFork!;
    frame.data.redriveFork = undefined;
    if (saved.kind === 'map') this.batch.emit(run, frame, 'MapStateStarted', { length: saved.children.length });
    else this.batch.emit(run, frame, 'ParallelStateStarted', null);
    let finished = 0;
    const children = saved.children.map((child, i) => {
      const def = state.Type === 'Parallel' ? state.Branches![i] : mapProcessor(state);
      let data;
      if ('output' in child) {
        data = this.core.frameData(frame.data.id, i, def.StartAt, null, 'done');
        data.output = child.output;
        finished++;
      } else {
        const { point } = child;
        data = this.core.frameData(frame.data.id, i, point.state, point.input, 'pending');
        if (point.vars) data.vars = point.vars;
        if (point.fork) data.redriveFork = point.fork;
      }
      return new Frame(data, run.arn, frame, def);
    });
    frame.children = children;
    for (const child of children) addForked(run, child);
    const { kind, maxConcurrency, toleratedCount, toleratedPercentage } = saved;
    frame.data.fork = { kind, total: children.length, running: 0, finished, failed: 0, nextIndex: 0, maxConcurrency, toleratedCount, toleratedPercentage };
    this.batch.setPhase(frame, 'fork');
    for (const child of children) this.batch.persist(child);
    this.advance(run, frame);
  }

  private dropChildren(run: Run, parent: Frame): void {
    for (const child of parent.children) {
      if (child.children.length) this.dropChildren(run, child);
      child.dead = true;
      this.core.timers.clearFrame(child);
      run.forked?.delete(child.data.id);
      this.batch.persist(child);
    }
    parent.children = [];
  }

  private abortChildren(run: Run, parent: Frame): void {
    for (const child of parent.children) {
      const active = child.data.phase !== 'done' && child.data.phase !== 'failed' && child.data.phase !== 'pending';
      if (active && child.data.task) this.tasks.endTask(child, 'done');
      if (active && parent.data.fork?.kind === 'map') this.batch.emit(run, parent, 'MapIterationAborted', { name: parent.data.state, index: child.data.idx });
      if (child.children.length) this.abortChildren(run, child);
    }
    this.dropChildren(run, parent);
  }
}
