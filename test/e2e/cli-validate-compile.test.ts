import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');
const aios = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [path.join(root, 'bin/aios.js'), ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

describe('aios validate / compile', () => {
  test('validate prints the counts and exits 0', () => {
    const r = aios(['validate']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Kestrel Coffee Co.: valid');
    expect(r.stdout).toMatch(/4 people\n\s+2 agents\n\s+8 tools\n\s+11 decision rules\n\s+3 workflows/);
  });

  test('an invalid definition: every problem with its path, exit 1, no stack trace', () => {
    const r = aios(['validate'], { AIOS_OS_MODULE: 'test/fixtures/definitions/invalid-os.ts' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Definition.Invalid');
    expect(r.stderr).toContain('people[4].id: duplicate id "maya"');
    expect(r.stderr).toMatch(/people\.maya\.email: .*email/i);
    expect(r.stderr).toContain('workflows.support-desk.steps.triage.agent: unknown agent "triaje" (did you mean "triage"?)');
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  test('a definition that cannot load (a missing import, a file that does not parse, no module): exit 1, the file to fix, no CLI internals', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aios-bad-os-'));
    writeFileSync(path.join(dir, 'index.ts'), "import { aios } from './catalogue';\nexport default aios;\n");
    writeFileSync(path.join(dir, 'broken.ts'), 'export default { steps: [[ };\n');
    const cases: Array<[string, RegExp]> = [
      [
        path.join(dir, 'index.ts'),
        /error Definition\.LoadFailed: cannot load the definition .*index\.ts: cannot find module '\.\/catalogue', imported by .*index\.ts/,
      ],
      [path.join(dir, 'broken.ts'), /error Definition\.LoadFailed: cannot load the definition .*broken\.ts: .*broken\.ts:1:\d+: ERROR: /],
      [path.join(dir, 'nowhere.ts'), /error Definition\.LoadFailed: cannot load the definition .*nowhere\.ts: no such file/],
    ];
    for (const [module, expected] of cases) {
      const r = aios(['validate'], { AIOS_OS_MODULE: module });
      expect([module, r.status]).toEqual([module, 1]);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr).not.toMatch(/Require stack|cli\/main\.ts|\n\s+at .+:\d+:\d+/);
    }
  });

  test('compile writes one file per workflow; a second run is byte-identical', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'aios-asl-'));
    expect(aios(['compile', '--out', out]).status).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['sales-follow-up.asl.json', 'support-desk.asl.json', 'weekly-review.asl.json']);
    const first = files.map((f) => readFileSync(path.join(out, f)));
    expect(aios(['compile', '--out', out]).status).toBe(0);
    files.forEach((f, i) => expect(readFileSync(path.join(out, f)).equals(first[i])).toBe(true));
  });

  test('--help lists the commands', () => {
    const r = aios(['--help']);
    expect(r.stdout).toMatch(/validate/);
    expect(r.stdout).toMatch(/compile/);
  });
});
