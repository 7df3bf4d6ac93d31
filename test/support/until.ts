/** Polling for tests that wait on something another process or the engine does. */

/** The first value `probe` gives that is not undefined, asked every `everyMs`; throws after `ms`. */
export async function until<T>(probe: () => Promise<T | undefined>, ms = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Resolves once `check()` holds, checked every 5 ms; throws after `ms`. */
export async function untilTrue(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}
