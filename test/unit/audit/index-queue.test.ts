import { queuedIndexing } from '../../../shared/audit/index-queue';

const tick = () => new Promise((r) => setImmediate(r));

describe('queuedIndexing', () => {
  it('runs tasks under one key one at a time, in the order queued', async () => {
    const events: string[] = [];
    let running = 0;
    const task = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      events.push(`start ${name}`);
      await tick();
      events.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all(['a', 'b', 'c'].map((name) => queuedIndexing('audit', task(name))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('lets tasks under other keys run meanwhile', async () => {
    const events: string[] = [];
    let release!: () => void;
    const held = queuedIndexing('table-1', () => new Promise<void>((r) => (release = r)));
    await queuedIndexing('table-2', async () => void events.push('other key ran'));
    expect(events).toEqual(['other key ran']);
    release();
    await held;
  });

  it('runs the next task after one that failed, and hands the failure to its own caller', async () => {
    const failed = queuedIndexing('audit', async () => {
      throw new Error('lost');
    });
    const next = queuedIndexing('audit', async () => 'ran');
    await expect(failed).rejects.toThrow('lost');
    await expect(next).resolves.toBe('ran');
  });
});
