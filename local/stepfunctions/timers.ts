/**
 * The engine's clocks: per-frame timers (Wait, retry back-off, task timeout
 * and heartbeat), keyed `<frame id>:<kind>`, and each execution's
 * TimeoutSeconds. A timer only queues work; what it means is decided in a batch.
 */
import type { Frame } from './frame';
import type { FrameEvent, Run } from './run';

/** setTimeout's longest delay; later deadlines re-arm when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const FRAME_TIMER_KINDS = ['due', 'timeout', 'heartbeat'];

export class Timers {
  private readonly byKey = new Map<string, NodeJS.Timeout>();

  constructor(
    /** Queues `event` for `frame` (it is stale if the frame's gen moved on). */
    private readonly onDue: (frame: Frame, gen: number, event: FrameEvent) => void,
    /** Queues the close of a run whose TimeoutSeconds passed. */
    private readonly onExecutionTimeout: (run: Run) => void,
  ) {}

  /** Arms (or re-arms) the frame timer `key` to deliver `event` at `at` (epoch ms). */
  set(key: string, frame: Frame, gen: number, at: number, event: FrameEvent): void {
    this.clear(key);
    const delay = Math.max(0, at - Date.now());
    const timer = setTimeout(
      () => {
        this.byKey.delete(key);
        if (Date.now() < at) this.set(key, frame, gen, at, event);
        else this.onDue(frame, gen, event);
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    this.byKey.set(key, timer);
  }

  clear(key: string): void {
    const t = this.byKey.get(key);
    if (t) {
      clearTimeout(t);
      this.byKey.delete(key);
    }
  }

  clearFrame(frame: Frame): void {
    // Most executions arm no timer at all; a Map of 1,000 would otherwise build 6,000 keys to find nothing.
    if (this.byKey.size === 0) return;
    for (const kind of FRAME_TIMER_KINDS) this.clear(`${frame.data.id}:${kind}`);
  }

  armExecutionTimeout(run: Run, at: number): void {
    const fire = (): void => {
      if (Date.now() < at) {
        run.timeoutTimer = setTimeout(fire, Math.min(at - Date.now(), MAX_TIMER_MS));
        return;
      }
      if (run.status === 'RUNNING') this.onExecutionTimeout(run);
    };
    run.timeoutTimer = setTimeout(fire, Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS));
  }

  /** Stops every frame timer and the execution timeouts of `runs`. */
  clearAll(runs: Iterable<Run>): void {
    for (const t of this.byKey.values()) clearTimeout(t);
    this.byKey.clear();
    for (const run of runs) if (run.timeoutTimer) clearTimeout(run.timeoutTimer);
  }
}
