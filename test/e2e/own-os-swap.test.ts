/**
 * A business replaces os/ with its own definition and `npm test` stays green.
 *
 * The proof runs on a copy of this checkout (node_modules symlinked) whose os/
 * is replaced by `aios init --force`: there, lint and the typecheck run over
 * the whole tree, and jest runs every test that can reach os/. Which tests
 * those are is derived, not listed by hand:
 *
 * 1. Code reaches os/ by importing it or by naming its path. The scan below
 *    reads the code (comments left out) of every source, test and helper file:
 *    the only ones that name os/ are the default definition loader
 *    (functions/current-os.ts), the default recordings folder
 *    (local/bedrock/recordings.ts), `aios init`'s default target (it writes
 *    os/; the tests that run it spawn the CLI, see 3), and the schema
 *    defaults of a definition's folders, `os/knowledge` and `os/recordings`
 *    (with the reference that documents them). Those defaults apply only to a
 *    definition that omits the folders; the example and the init output name
 *    theirs, and the test fixtures spread the example (not checked here). A
 *    new file naming os/ fails the scan until it is accounted for.
 * 2. In the jest process, a test reaches the loader, the recordings module or
 *    os/ itself only through imports. Jest's own dependency graph
 *    (`--findRelatedTests`, over the whole tree rather than the configured
 *    `test/` root) lists every test that imports them, directly or through
 *    any chain of modules.
 * 3. Outside the jest process, code runs only in a child: a test starts one
 *    through node:child_process, worker_threads or cluster, directly or
 *    through a helper it imports. Every test that does (found by reading the
 *    tests and helpers, then the graph for the helpers' importers) is run,
 *    whatever definition path it passes: a child may load os/ by default.
 * 4. A test file or helper that names os/ itself is run, with its importers.
 *
 * Every other test neither loads a module that reads os/ nor starts a process
 * that could, so its outcome cannot depend on os/. As a guard against a graph
 * query that silently finds nothing (a wrong root once did), the set must hold
 * tests known to import the loader and to spawn the CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// lint, typecheck and about a third of the suite (the slower third: runtimes, browsers, the fault harness), in one test
jest.setTimeout(1_800_000);

const root = path.join(__dirname, '..', '..');
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('node_modules'));
const code = files.filter((f) => /\.(ts|js|mjs|cjs)$/.test(f) && !f.startsWith('os/'));
/** A file's code without its comments (doc comments mention `os/index.ts` freely). */
const read = (f: string) => {
  try {
    return readFileSync(path.join(root, f), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  } catch {
    return ''; // deleted in the working tree but still in the index
  }
};

// `../os`, `../../os/x`, `'os/…'`, and `os` as a path segment (`join(root, 'os', …)`); not `from 'os'` (Node's module).
const NAMES_OS = /['"`](\.\.\/)+os(\/[^'"`]*)?['"`]|['"]os\/[^'"]*['"]|[,(]\s*['"]os['"]\s*,|,\s*['"]os['"]\s*\)/;
const STARTS_PROCESSES = /['"](node:)?(child_process|worker_threads|cluster)['"]/;
const isTest = (f: string) => f.startsWith('test/') && f.endsWith('.test.ts');
const SELF = 'test/e2e/own-os-swap.test.ts';

it('nothing names os/ but the default loader and the default recordings folder (and tests, which then run on the swapped copy)', () => {
  const offenders = code.filter((f) => !f.startsWith('test/') && NAMES_OS.test(read(f)));
  expect(offenders).toEqual([
    'cli/commands/init.ts',
    'cli/reference/reference-sections.ts',
    'functions/current-os.ts',
    'infra/tool-entries.ts',
    'local/bedrock/recordings.ts',
    'shared/definition/knowledge.ts',
    'shared/definition/validate.ts',
  ]);
});

/** The swapped copies made, removed when the file's tests end (each run used to leave one in the temp folder). */
const copies: string[] = [];
afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

it('with os/ replaced by `aios init`, lint, the typecheck and every test that can reach os/ pass', () => {
  const copy = mkdtempSync(path.join(tmpdir(), 'aios-own-os-'));
  copies.push(copy);
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
  const run = (cmd: string, args: string[], timeout = 600_000) =>
    spawnSync(cmd, args, { cwd: copy, env, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  const bin = (rel: string) => path.join(copy, 'node_modules', rel);

  const init = run(process.execPath, ['bin/aios.js', 'init', '--force']);
  expect(init.stderr).toBe('');
  expect(run(process.execPath, ['bin/aios.js', 'validate']).stdout).toContain('Northwind Bookkeeping: valid');
  const osFiles = readdirSync(path.join(copy, 'os'), { recursive: true, encoding: 'utf8' }).map((f) => path.join(copy, 'os', f));
  expect(osFiles.some((f) => f.endsWith('tools.ts'))).toBe(true);

  const lint = run(process.execPath, [bin('eslint/bin/eslint.js'), '.']);
  expect(lint.stdout + lint.stderr).toBe('');
  const tsc = run(process.execPath, [bin('typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
  expect(tsc.stdout + tsc.stderr).toBe('');

  const jest = bin('jest/bin/jest.js');
  /** Tests that import any of these files, through any chain of imports (jest's graph over the whole tree). */
  const relatedTests = (targets: string[]): string[] => {
    if (targets.length === 0) return [];
    const r = run(process.execPath, [jest, '--listTests', '--roots', copy, '--findRelatedTests', ...targets.map((t) => path.resolve(copy, t))]);
    expect(r.status).toBe(0);
    return r.stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => path.relative(copy, f));
  };
  const testFiles = code.filter((f) => f.startsWith('test/'));
  const spawning = testFiles.filter((f) => STARTS_PROCESSES.test(read(f)));
  const namingOs = testFiles.filter((f) => NAMES_OS.test(read(f)));
  const reach = new Set([
    ...relatedTests([...osFiles, 'functions/current-os.ts', 'local/bedrock/recordings.ts']),
    ...relatedTests([...spawning, ...namingOs].filter((f) => !isTest(f))),
    ...[...spawning, ...namingOs].filter(isTest),
  ]);
  reach.delete(SELF);
  const selected = [...reach].sort();
  // The graph found the loader's importers and the CLI's spawners: the queries were not empty by mistake.
  expect(selected).toEqual(
    expect.arrayContaining([
      'test/e2e/agent-step.test.ts',
      'test/e2e/example-scenarios.test.ts',
      'test/e2e/init.test.ts',
      'test/e2e/cli-validate-compile.test.ts',
    ]),
  );

  const suite = run(process.execPath, [jest, '--ci', '--runTestsByPath', ...selected], 1_500_000);
  expect(suite.stderr).toMatch(new RegExp(`Test Suites:\\s+(\\d+ skipped, )?\\d+ passed, \\d+ total`));
  expect(suite.stderr).not.toMatch(/Test Suites:.*failed/);
  expect(suite.status).toBe(0);
});
