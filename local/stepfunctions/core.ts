/**
 * What every part of the engine shares: the store, the function registry,
 * the executions running in this process, the batch and the timers. Built
 * once by the engine and handed to each part.
 */
import type { JsonValue } from '../asl/types';
import type { FunctionRegistry } from '../functions';
import type { ArnScope } from './arns';
import { Batch } from './batch';
import { NO_ATTEMPTS, type FrameData } from './frame';
import type { Run } from './run';
import type { ExecutionStore } from './store';
import { Timers } from './timers';

export class EngineCore {
  readonly runs = new Map<string, Run>();
  readonly batch: Batch;
  readonly timers: Timers;
  nextFrameId: number;

  constructor(
    readonly store: ExecutionStore,
    readonly functions: FunctionRegistry,
    readonly scope: ArnScope,
    maxBatch: number,
  ) {
    this.batch = new Batch(store, this.runs, maxBatch);
    this.timers = new Timers(
      (frame, gen, event) => this.batch.enqueue({ kind: 'frame', frame, gen, event }),
      (run) => this.batch.enqueue({ kind: 'close', run, status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out (TimeoutSeconds).' }),
    );
    this.nextFrameId = store.maxFrameId();
  }

  /**
   * A new frame's data (ids are unique across executions: frames are stored by id). The fields most frames get later (its
   * entry event, its task, and what leaving a state clears) are there from the start, unset: added one by one, each frame
   * changed shape several times and had its fields moved to a property array allocated (and grown) apart from it.
   */
  frameData(parent: number | null, idx: number, state: string, input: JsonValue, phase: FrameData['phase']): FrameData {
    return {
      id: ++this.nextFrameId,
      parent,
      idx,
      state,
      input,
      phase,
      fresh: true,
      enteredTime: '',
      retryCount: 0,
      attempts: NO_ATTEMPTS,
      lastEventId: 0,
      enteredEventId: undefined,
      task: undefined,
      waitOutput: undefined,
      dueAt: undefined,
      failedFork: undefined,
    };
  }
}
