/**
 * Fires scheduled workflows on time in the local runtime (EventBridge
 * Scheduler's job on AWS). One timer for all schedules, re-armed after each
 * wake-up; waits are capped so a sleeping laptop or a clock change catches up.
 *
 * Guarantees: each slot fires at most once, across restarts (the slot is
 * recorded before `start` is called); a slot missed while the runtime was down
 * is not replayed, except one that fell due within `catchUpMs` before start
 * (a quick restart). `start` receives the slot time, so the run can be named
 * after it.
 */
import { nextFireTime, parseScheduleExpression, type ScheduleExpression } from '../../shared/schedule';
import { FiredSlots } from './fired-slots';

export interface ScheduledWorkflow {
  workflowId: string;
  /** `rate(...)`, `cron(...)` or `at(...)`. */
  expression: string;
  /** IANA time zone for cron/at; default UTC. */
  timeZone?: string;
}

export interface LocalSchedulerOptions {
  schedules: readonly ScheduledWorkflow[];
  /** Starts one run of the workflow for the slot `scheduledTime`. */
  start(workflowId: string, scheduledTime: Date): Promise<void>;
  /** Where fired slots are kept. */
  dataDir: string;
  now?: () => Date;
  /** Default one minute. */
  catchUpMs?: number;
  /** Longest single wait; default one minute. */
  maxWaitMs?: number;
  onError?: (error: unknown, workflowId: string, scheduledTime: Date) => void;
}

interface Entry {
  key: string;
  schedule: ScheduledWorkflow;
  parsed: ScheduleExpression;
  next: Date | null;
}

export class LocalScheduler {
  private readonly fired: FiredSlots;
  private readonly entries: Entry[];
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking: Promise<void> = Promise.resolve();

  constructor(private readonly options: LocalSchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    this.fired = new FiredSlots(options.dataDir);
    // Parse everything up front: a bad expression fails at start, not at fire time.
    this.entries = options.schedules.map((schedule) => ({
      key: `${schedule.workflowId}|${schedule.expression}|${schedule.timeZone ?? 'UTC'}`,
      schedule,
      parsed: parseScheduleExpression(schedule.expression),
      next: null,
    }));
  }

  /** Computes each schedule's next slot and arms the timer. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const now = this.now().getTime();
    const catchUp = this.options.catchUpMs ?? 60_000;
    for (const entry of this.entries) {
      const last = this.fired.last(entry.key)?.getTime();
      // First start: from now. Restart: strictly after the last fired slot, no older than the catch-up window.
      const from = last === undefined ? now : Math.max(last, now - catchUp - 1);
      entry.next = nextFireTime(entry.parsed, new Date(from), entry.schedule.timeZone);
    }
    this.arm();
  }

  /** Stops the timer and waits for runs being started. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /** The next slot per workflow (for the console and tests). */
  upcoming(): { workflowId: string; expression: string; next: Date | null }[] {
    return this.entries.map((e) => ({ workflowId: e.schedule.workflowId, expression: e.schedule.expression, next: e.next }));
  }

  private arm(): void {
    if (!this.running) return;
    const due = this.entries.map((e) => e.next?.getTime()).filter((t): t is number => t !== undefined);
    if (due.length === 0) return;
    const wait = Math.min(Math.max(0, Math.min(...due) - this.now().getTime()), this.options.maxWaitMs ?? 60_000);
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => this.arm());
    }, wait);
    // The scheduler alone must not keep the process alive.
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    const now = this.now();
    for (const entry of this.entries) {
      while (this.running && entry.next && entry.next.getTime() <= now.getTime()) {
        const slot = entry.next;
        this.fired.record(entry.key, slot);
        entry.next = nextFireTime(entry.parsed, slot, entry.schedule.timeZone);
        // Only the latest due slot runs; older ones (the machine slept) are skipped.
        if (entry.next && entry.next.getTime() <= now.getTime()) continue;
        try {
          await this.options.start(entry.schedule.workflowId, slot);
        } catch (error) {
          this.options.onError?.(error, entry.schedule.workflowId, slot);
        }
      }
    }
  }
}
