import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { currentOs } from '../../functions/current-os';
import { compileAll } from '../../shared/compiler';
import { printOut } from '../terminal-text';

/** `aios compile`: one ASL document per workflow in dist/asl/. */
export function register(program: Command): void {
  program
    .command('compile')
    .description('compile every workflow to Step Functions ASL in dist/asl/<workflow>.asl.json')
    .option('-o, --out <dir>', 'output folder', 'dist/asl')
    .action((options: { out: string }) => {
      const compiled = compileAll(currentOs());
      const out = path.resolve(options.out);
      mkdirSync(out, { recursive: true });
      // Files of workflows that no longer exist would deploy stale machines: remove them.
      for (const file of readdirSync(out)) if (file.endsWith('.asl.json') && !compiled.has(file.slice(0, -'.asl.json'.length))) rmSync(path.join(out, file));
      for (const [id, text] of compiled) {
        writeFileSync(path.join(out, `${id}.asl.json`), text);
        printOut(`${path.relative(process.cwd(), path.join(out, `${id}.asl.json`))} (${Buffer.byteLength(text)} bytes)\n`);
      }
    });
}
