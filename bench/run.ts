/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command
 * line) and writes their sections into bench/RESULTS.md with the machine and date.
 *
 * A bench file's default export returns a Markdown section. Benchmarks compare
 * against a peer in the same run: absolute times on shared 2-core machines are noise.
 *
 * Each bench runs in a Node process of its own: what one leaves behind (a runtime's
 * timers and sockets, a grown heap) took CPU from the next one's measured side.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Bench = () => Promise<string>;

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  const sections: string[] = [];
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'aios-bench-'));
  try {
    for (const file of files) {
      process.stdout.write(`bench ${file}…\n`);
      const out = path.join(scratch, `${file}.md`);
      // The same Node and loader flags (tsx) this process runs with.
      const child = spawnSync(process.execPath, [...process.execArgv, __filename, ONE, file, out], { stdio: 'inherit' });
      if (!existsSync(out)) throw new Error(`bench ${file} wrote no section (exit ${child.status ?? child.signal})`);
      // A bench that measured but found a figure over its limit (the bundles) exits 1 after writing its section.
      if (child.status !== 0) process.exitCode = child.status ?? 1;
      const section = readFileSync(out, 'utf8');
      process.stdout.write(`${section}\n`);
      sections.push(section.trim());
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# Benchmark results',
    '',
    `Recorded ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}.`,
    'Produced by `npm run bench`. Ratios compare against a peer measured in the same run. The fault harness section is recorded by hand from `npm run chaos` runs and carries its own dates.',
    '',
  ].join('\n');
  const results = path.join(__dirname, 'RESULTS.md');
  const previous = existsSync(results) ? readFileSync(results, 'utf8') : '';
  // A full run renews the header and every bench's section; sections no bench writes (the fault harness's
  // long runs, recorded by hand from `npm run chaos`) stay as they were.
  const kept = previous.includes('\n## ') ? previous.slice(previous.indexOf('\n## ') + 1) : '';
  if (only.length === 0) writeFileSync(results, `${header}\n${kept ? replaceSections(kept, sections) : `${sections.join('\n\n')}\n`}`);
  else if (previous) writeFileSync(results, replaceSections(previous, sections));
}

/**
 * A partial run (`npm run bench -- name`) replaces only its own sections in
 * RESULTS.md (matched by their `## ` heading) or appends them, so one bench can
 * be re-measured without running them all.
 */
function replaceSections(text: string, sections: string[]): string {
  let out = text.trimEnd();
  for (const section of sections) {
    const heading = section.split('\n')[0];
    const start = out.indexOf(`${heading}\n`);
    if (start < 0) {
      out = `${out}\n\n${section}`;
      continue;
    }
    const next = out.indexOf('\n## ', start + heading.length);
    out = `${out.slice(0, start)}${section}${next < 0 ? '' : `\n${out.slice(next)}`}`;
  }
  return `${out}\n`;
}

const ONE = '--one-bench';

/** In the child process: runs one bench file and writes its section to `out`. */
async function runOne(file: string, out: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(__dirname, file)) as { default: Bench };
  writeFileSync(out, await mod.default());
  // What the bench left running (a server's sockets, timers) must not keep its process, and so the run, waiting.
  process.exit();
}

(process.argv[2] === ONE ? runOne(process.argv[3], process.argv[4]) : main()).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
  if (process.argv[2] === ONE) process.exit();
});
