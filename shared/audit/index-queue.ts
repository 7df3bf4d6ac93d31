/**
 * Lists runs in the audit index one at a time within a process.
 *
 * Every run's first audit record also lists the run in one shared index
 * chain, whose head moves by a conditional write. Runs starting together in
 * one process (the local runtime hosts every function) raced for that head:
 * each lost race re-read it and tried again, so N runs cost on the order of
 * N² attempts. With 1,000 support-desk runs started at once, 32 were listed
 * after 13 minutes (bench/scale.bench.ts). Queued here, each listing wins its
 * first attempt; between processes (Lambda containers) the conditional write
 * still decides, as before.
 */
const tails = new Map<string, Promise<void>>();

/** Runs `task` after every task queued before it under `key` has settled; settles as `task` does. */
export function queuedIndexing<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (tails.get(key) ?? Promise.resolve()).then(task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  // The map keeps only the tail of a queue still in use.
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}
