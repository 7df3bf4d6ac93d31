/**
 * What every part of the engine shares: the store, the function registry,
 * the executions running in this process, the batch and the timers. Built
 * once by the engine and handed to each part.
 */
import type { JsonValue } from '../asl/types';
import type { FunctionRegistry } from '../functions';
import type { ArnScope } from './arns';
import { Batch } from './batch';
import type { FrameData } from './frame';
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

  /** A new frame's data (ids are unique across executions: frames are stored by id). */
  frameData(parent: number | null, idx: number, state: string, input: JsonValue, phase: FrameData['phase']): FrameData {
    return { id: ++this.nextFrameId, parent, idx, state, input, phase, fresh: true, enteredTime: '', retryCount: 0, attempts: [], lastEventId: 0 };
  }
}
