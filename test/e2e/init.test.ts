/**
 * `aios init` into a temporary folder gives a definition that validates,
 * compiles, passes its own scenarios and synthesizes (cdk-nag clean), and
 * init refuses to overwrite a business's files unless forced.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { isExampleReexport } from '../../cli/init/write-starter';
import { AiosStack } from '../../infra/aios-stack';
import { loadValidOs } from '../../shared/definition';
import { expectOnlyToolReadsSecret } from '../support/tool-secret-template';

const root = path.join(__dirname, '..', '..');
const aios = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [path.join(root, 'bin/aios.js'), ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

const dir = path.join(mkdtempSync(path.join(tmpdir(), 'aios-init-')), 'mine');
const osModule = path.join(dir, 'index.ts');

beforeAll(() => {
  const r = aios(['init', dir]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

it('writes the starter: one person, tool, agent and workflow, rights, knowledge, a recording and two scenarios', () => {
  const files = (sub: string) => readdirSync(path.join(dir, sub)).sort();
  expect(files('.')).toEqual([
    'agents.ts',
    'catalog.ts',
    'events',
    'index.ts',
    'knowledge',
    'people.ts',
    'recordings',
    'rights.ts',
    'scenarios',
    'tools.ts',
    'workflows.ts',
  ]);
  expect(files('events')).toEqual(['invoice-received.json']);
  expect(files('scenarios')).toHaveLength(2);
  expect(files('recordings')).toHaveLength(1);
  expect(readFileSync(path.join(dir, 'tools.ts'), 'utf8')).toMatch(
    /AIOS_SECRET_PAYMENTS_API_KEY[\s\S]*aios\/tools\/payments-api-key[\s\S]*secrets: \[\{ name: 'payments-api-key'/,
  );
});

it('validates, compiles and passes its scenarios', () => {
  const validate = aios(['validate'], { AIOS_OS_MODULE: osModule });
  expect(validate.stdout).toContain('Northwind Bookkeeping: valid\n  1 person\n  1 agent\n  2 tools\n  5 decision rules\n  1 workflow');
  const out = mkdtempSync(path.join(tmpdir(), 'aios-init-asl-'));
  expect(aios(['compile', '--out', out], { AIOS_OS_MODULE: osModule }).status).toBe(0);
  expect(readdirSync(out)).toEqual(['invoice-intake.asl.json']);
  const test = aios(['test'], { AIOS_OS_MODULE: osModule });
  expect(test.stdout).toContain('2 passed, 0 failed');
  expect(test.status).toBe(0);
});

it('synthesizes, with no cdk-nag finding', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = loadValidOs((require(osModule) as { default: unknown }).default);
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new AiosStack(app, 'Mine', { os, env: { account: '123456789012', region: 'us-east-1' } });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { AIOS_TOOL_ID: 'payments.schedule' } } });
  expectOnlyToolReadsSecret(template, { toolId: 'payments.schedule', envVar: 'AIOS_SECRET_ARN_PAYMENTS_API_KEY', createdName: 'aios/tools/payments-api-key' });
  const report = new AwsSolutionsChecks().validateScope(stack);
  expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
});

it('refuses to overwrite, names the files, writes nothing; --force overwrites', () => {
  writeFileSync(path.join(dir, 'rights.ts'), '// mine\n');
  const refused = aios(['init', dir]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toMatch(/Init\.WouldOverwrite: .*mine already holds index\.ts, .*rights\.ts.*Use --force/);
  expect(readFileSync(path.join(dir, 'rights.ts'), 'utf8')).toBe('// mine\n');
  expect(aios(['init', dir, '--force']).status).toBe(0);
  expect(readFileSync(path.join(dir, 'rights.ts'), 'utf8')).toContain("id: 'small-payments'");
});

it("the shipped os/index.ts (a re-export of the example) is not the business's own, so init may replace it", () => {
  // The shipped text, written out: the suite must not read os/, which a business replaces.
  const shipped =
    "/**\n * Your business's AI OS definition. On a fresh clone it is the worked example\n */\nexport { default } from '../examples/kestrel-coffee';\n";
  expect(isExampleReexport(shipped)).toBe(true);
  expect(isExampleReexport("export { default } from '../examples/kestrel-coffee';\nexport const x = 1;\n")).toBe(false);
});
