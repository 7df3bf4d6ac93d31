/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command
 * line) and writes their sections into bench/RESULTS.md with the machine and date.
 *
 * A bench file's default export returns a Markdown section. Benchmarks compare
 * against a peer in the same run: absolute times on shared 2-core machines are noise.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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
  for (const file of files) {
    process.stdout.write(`bench ${file}…\n`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(__dirname, file)) as { default: Bench };
    const section = await mod.default();
    process.stdout.write(`${section}\n`);
    sections.push(section.trim());
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

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
