import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalScheduler } from '../../../local/scheduler';

let dataDir: string;
let running: LocalScheduler[] = [];
/** Built through here so a failing test cannot leave a timer behind. */
function scheduler(options: ConstructorParameters<typeof LocalScheduler>[0]): LocalScheduler {
  const s = new LocalScheduler(options);
  running.push(s);
  return s;
}
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'aios-scheduler-'));
});
afterEach(async () => {
  await Promise.all(running.map((s) => s.stop()));
  running = [];
  jest.useRealTimers();
  rmSync(dataDir, { recursive: true, force: true });
});

function recorder() {
  const fired: { workflowId: string; at: string; slot: string }[] = [];
  return {
    fired,
    start: async (workflowId: string, slot: Date) => {
      fired.push({ workflowId, at: new Date().toISOString(), slot: slot.toISOString() });
    },
  };
}

describe('LocalScheduler', () => {
  it('fires a rate schedule on time, once per slot (real timers)', async () => {
    // Shift the scheduler's clock so the next minute boundary is 300 ms away.
    const real = Date.now();
    const offset = 60_000 - (real % 60_000) - 300;
    const now = () => new Date(Date.now() + offset);
    const { fired, start } = recorder();
    const sched = scheduler({ schedules: [{ workflowId: 'digest', expression: 'rate(1 minute)' }], start, dataDir, now });
    sched.start();
    const expectedSlot = new Date(Math.ceil((real + offset) / 60_000) * 60_000).toISOString();
    expect(sched.upcoming()[0].next?.toISOString()).toBe(expectedSlot);
    await new Promise((r) => setTimeout(r, 100));
    expect(fired).toEqual([]);
    const deadline = Date.now() + 3_000;
    while (fired.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await sched.stop();
    expect(fired.map((f) => f.slot)).toEqual([expectedSlot]);
    // Fired at (not before) the slot, within a second of it.
    const lateness = new Date(fired[0].at).getTime() + offset - new Date(expectedSlot).getTime();
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(1_000);
  });

  it('fires each due slot of several schedules, in their time zones', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-07T07:59:30Z') }); // Monday 08:59:30 in Paris
    const { fired, start } = recorder();
    const sched = scheduler({
      schedules: [
        { workflowId: 'every-5', expression: 'rate(5 minutes)' },
        { workflowId: 'paris-9am', expression: 'cron(0 9 ? * MON-FRI *)', timeZone: 'Europe/Paris' },
      ],
      start,
      dataDir,
    });
    sched.start();
    await jest.advanceTimersByTimeAsync(29_000);
    expect(fired).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(fired.map((f) => [f.workflowId, f.slot])).toEqual([
      ['every-5', '2030-01-07T08:00:00.000Z'],
      ['paris-9am', '2030-01-07T08:00:00.000Z'],
    ]);
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(fired.map((f) => f.slot)).toEqual(['2030-01-07T08:00:00.000Z', '2030-01-07T08:00:00.000Z', '2030-01-07T08:05:00.000Z', '2030-01-07T08:10:00.000Z']);
    await sched.stop();
  });

  it('survives a restart without firing the same slot twice', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T12:00:30Z') });
    const first = recorder();
    const a = scheduler({ schedules: [{ workflowId: 'w', expression: 'rate(1 minute)' }], start: first.start, dataDir });
    a.start();
    await jest.advanceTimersByTimeAsync(31_000); // fires 12:01:00
    await a.stop();
    expect(first.fired.map((f) => f.slot)).toEqual(['2030-01-01T12:01:00.000Z']);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'scheduler', 'fired.json'), 'utf8'))).toEqual({ 'w|rate(1 minute)|UTC': '2030-01-01T12:01:00.000Z' });

    // Restarted 10 s later: 12:01 is inside the catch-up window but already fired.
    const second = recorder();
    const b = scheduler({ schedules: [{ workflowId: 'w', expression: 'rate(1 minute)' }], start: second.start, dataDir });
    b.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(second.fired).toEqual([]);
    await jest.advanceTimersByTimeAsync(60_000);
    await b.stop();
    expect(second.fired.map((f) => f.slot)).toEqual(['2030-01-01T12:02:00.000Z']);
  });

  it('after downtime, fires only a slot that fell due within the catch-up window, once', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T12:00:30Z') });
    const first = recorder();
    const a = scheduler({ schedules: [{ workflowId: 'w', expression: 'rate(1 minute)' }], start: first.start, dataDir });
    a.start();
    await jest.advanceTimersByTimeAsync(31_000);
    await a.stop();
    jest.setSystemTime(new Date('2030-01-01T12:10:20Z'));
    const second = recorder();
    const b = scheduler({ schedules: [{ workflowId: 'w', expression: 'rate(1 minute)' }], start: second.start, dataDir });
    b.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(second.fired.map((f) => f.slot)).toEqual(['2030-01-01T12:10:00.000Z']);
    await b.stop();
  });

  it('skips slots the machine slept through and fires the latest one once', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T12:00:30Z') });
    let clock = Date.now();
    const { fired, start } = recorder();
    const s = scheduler({ schedules: [{ workflowId: 'w', expression: 'rate(1 minute)' }], start, dataDir, now: () => new Date(clock) });
    s.start();
    clock = new Date('2030-01-01T12:05:10Z').getTime(); // the wake-up sees five due slots
    await jest.advanceTimersByTimeAsync(30_000);
    await s.stop();
    expect(fired.map((f) => f.slot)).toEqual(['2030-01-01T12:05:00.000Z']);
  });

  it('a one-time at() schedule fires once; a failing start is reported and does not stop the others', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T11:59:00Z') });
    const errors: string[] = [];
    const fired: string[] = [];
    const s = scheduler({
      schedules: [
        { workflowId: 'once', expression: 'at(2030-01-01T12:00:00)' },
        { workflowId: 'broken', expression: 'rate(1 minute)' },
      ],
      start: async (id) => {
        if (id === 'broken') throw new Error('no such workflow');
        fired.push(id);
      },
      dataDir,
      onError: (e, id) => errors.push(`${id}: ${(e as Error).message}`),
    });
    s.start();
    await jest.advanceTimersByTimeAsync(5 * 60_000);
    await s.stop();
    expect(fired).toEqual(['once']);
    expect(errors.length).toBe(5);
    expect(s.upcoming().find((u) => u.workflowId === 'once')?.next).toBeNull();
  });

  it('rejects a bad expression when built', () => {
    expect(() => new LocalScheduler({ schedules: [{ workflowId: 'w', expression: 'rate(0 minutes)' }], start: async () => {}, dataDir })).toThrow(
      expect.objectContaining({ code: 'Schedule.InvalidExpression' }),
    );
  });
});
