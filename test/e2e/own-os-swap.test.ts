/**
 * A business replaces os/ with its own definition and the project's suite is
 * unchanged: nothing outside os/ imports it (but the defaults: the loader of
 * the definition and the recordings folder), and in a copy of this checkout with os/ replaced by `aios init`
 * the typecheck and the suites that use the example still pass.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

jest.setTimeout(300_000);

const root = path.join(__dirname, '..', '..');
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('node_modules'));

it('nothing imports os/ but the default loader and the default recordings folder', () => {
  const code = files.filter((f) => /\.(ts|js)$/.test(f) && !f.startsWith('os/'));
  const importsOs = /from ['"](\.\.\/)+os(\/[^'"]*)?['"]|require\(['"](\.\.\/)+os(\/[^'"]*)?['"]\)|['"]os['"],\s*['"](knowledge|recordings|scenarios)['"]/;
  const offenders = code.filter((f) => importsOs.test(readFileSync(path.join(root, f), 'utf8')));
  expect(offenders).toEqual(['functions/current-os.ts', 'local/bedrock/recordings.ts']);
});

it('with os/ replaced by `aios init`, the typecheck and the example suites pass', () => {
  const copy = mkdtempSync(path.join(tmpdir(), 'aios-own-os-'));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
    try {
      copyFileSync(path.join(root, f), path.join(copy, f));
    } catch {
      // a file deleted in the working tree but still in the index
    }
  }
  symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(copy, 'node_modules'));
  const env = { ...process.env };
  delete env.AIOS_OS_MODULE;
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: copy, env, encoding: 'utf8', timeout: 240_000 });

  expect(run(process.execPath, ['bin/aios.js', 'init', '--force']).status).toBe(0);
  expect(run(process.execPath, ['bin/aios.js', 'validate']).stdout).toContain('Northwind Bookkeeping: valid');

  const tsc = run(process.execPath, [path.join(copy, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
  expect(tsc.stdout + tsc.stderr).toBe('');
  const suites = ['test/unit/definition', 'test/unit/compiler/golden.test.ts', 'test/e2e/cli-validate-compile.test.ts', 'test/infra/plan-and-cost.test.ts', 'test/e2e/example-scenarios.test.ts'];
  const jest = run(process.execPath, [path.join(copy, 'node_modules/jest/bin/jest.js'), '--ci', '--maxWorkers=1', ...suites]);
  expect(jest.stderr).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  expect(jest.status).toBe(0);
});
