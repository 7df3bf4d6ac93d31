/**
 * `aios test` on the worked example: every scenario passes on the durable
 * engine, every rule an agent or workflow can reach is exercised by one, and
 * a wrong expectation fails with a diff naming the step and field.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectPath } from '../../local/project-paths';
import { runScenario } from '../../local/scenarios/run-scenario';
import { findScenarioFiles, knowledgeFor, loadScenario, runScenarioSuite } from '../../local/scenarios/scenario-suite';
import { loadValidOs } from '../../shared/definition';
import { matchesGlob } from '../../shared/rights/glob';
import { formatMismatch } from '../../shared/scenarios/check-expectations';
import { scenarioSchema } from '../../shared/scenarios/scenario-schema';
import exampleOs from '../../examples/kestrel-coffee';
import { EXAMPLE_DIR } from '../support/example';

const os = loadValidOs(exampleOs);
const scenariosDir = path.join(EXAMPLE_DIR, 'scenarios');
const recordingsDir = projectPath(os.recordingsDir);
const root = path.join(__dirname, '..', '..');

it('every example scenario passes, and together they reach every rule an agent or workflow can reach', async () => {
  const files = findScenarioFiles([scenariosDir]).map(loadScenario);
  const knowledge = await knowledgeFor(os, projectPath);
  let text = '';
  const report = await runScenarioSuite(files, { os, recordingsDir, ...(knowledge ? { knowledge } : {}) }, (t) => (text += t));
  expect(text).toContain(`${files.length} passed, 0 failed`);
  expect(report.failed).toBe(0);

  const usedTools = new Set([
    ...os.agents.flatMap((a) => a.tools),
    ...os.workflows.flatMap((w) => w.steps.flatMap((s) => ('tool' in s && typeof s.tool === 'string' ? [s.tool] : []))),
  ]);
  const reachable = os.rules.filter((r) => !r.tool || [...usedTools].some((t) => matchesGlob(r.tool!, t))).map((r) => r.id);
  const decided = new Set(report.results.flatMap((r) => r.observed.rights.map((d) => d.rule)));
  expect(reachable.filter((id) => !decided.has(id))).toEqual([]);
  const outcomes = new Set(report.results.flatMap((r) => [...r.observed.rights.map((d) => d.decision), ...r.observed.approvals.map((a) => a.outcome)]));
  expect([...outcomes].sort()).toEqual(['allow', 'approve', 'approved', 'deny', 'expired', 'pending', 'rejected']);
});

it('a wrong expectation fails with a diff that names the step, the tool and the field', async () => {
  const file = path.join(scenariosDir, '02-medium-refund-approved.json');
  const scenario = scenarioSchema.parse({
    ...JSON.parse(readFileSync(file, 'utf8')),
    expect: {
      rights: [
        { tool: 'knowledge.search', decision: 'allow' },
        { tool: 'refunds.issue', decision: 'allow', rule: 'small-refunds' },
      ],
      toolCalls: [{ tool: 'knowledge.search' }, { tool: 'refunds.issue', input: { amount: 46 } }],
    },
  });
  const result = await runScenario({ os, scenario, file, recordingsDir });
  expect(result.mismatches.map(formatMismatch)).toEqual([
    'rights[1] (step triage, tool refunds.issue).decision\n    expected: "allow"\n    actual:   "approve"',
    'rights[1] (step triage, tool refunds.issue).rule\n    expected: "small-refunds"\n    actual:   "medium-refunds"',
    'toolCalls[1] (step triage, tool refunds.issue).input.amount\n    expected: 46\n    actual:   64',
  ]);
});

it('the CLI prints the summary and exits 1 when a scenario fails', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aios-scenarios-'));
  const good = JSON.parse(readFileSync(path.join(scenariosDir, '01-small-refund-allowed.json'), 'utf8')) as {
    recordings: string[];
    expect: { rights: { decision: string }[] };
  };
  good.recordings = [path.join(EXAMPLE_DIR, 'recordings', 'support-desk-zendesk-lost-order.json')];
  writeFileSync(path.join(dir, 'a-good.json'), JSON.stringify(good));
  good.expect.rights[1].decision = 'deny';
  writeFileSync(path.join(dir, 'b-wrong.json'), JSON.stringify(good));
  const r = spawnSync(process.execPath, [path.join(root, 'bin/aios.js'), 'test', dir], { cwd: root, env: process.env, encoding: 'utf8', timeout: 60_000 });
  expect(r.stdout).toContain('1 passed, 1 failed');
  expect(r.stdout).toMatch(
    /FAIL .*\(b-wrong\.json\)\n {2}rights\[1\] \(step triage, tool refunds\.issue\)\.decision\n {6}expected: "deny"\n {6}actual: {3}"allow"/,
  );
  expect(r.status).toBe(1);
});
