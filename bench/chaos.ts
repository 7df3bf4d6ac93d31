/**
 * `npm run chaos -- --minutes 30 --seed N`: the fault harness of
 * test/crash/fault-harness.ts for longer — SIGKILLs of the runtime's process
 * group at random moments until the time is up (at least --kills), then the
 * invariants. Prints the figures as JSON; exits 1 on any violation.
 */
import { runFaultHarness } from '../test/crash/fault-harness';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
  return value;
}

async function main(): Promise<number> {
  const seed = option('seed', Math.floor(Math.random() * 1_000_000));
  const minutes = option('minutes', 5);
  const kills = option('kills', 5);
  process.stderr.write(`chaos: seed ${seed}, ${minutes} min, at least ${kills} kills\n`);
  const report = await runFaultHarness({ seed, minutes, kills, log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`) });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exit(2);
  },
);
