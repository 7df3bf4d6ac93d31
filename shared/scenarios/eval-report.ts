/**
 * The report of `aios eval`: each scenario run K times against a live model,
 * with its pass rate, the pass rate of each expectation (status, rights,
 * toolCalls, approvals, emails, output), tokens, cost and latency.
 */
import type { Mismatch } from './check-expectations';
import type { Scenario } from './scenario-schema';

export interface EvalRun {
  passed: boolean;
  mismatches: Mismatch[];
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  modelCalls: number;
  /** Sum of the model calls' latency in this run. */
  modelLatencyMs: number;
  /** Where the failing run was kept, when it failed. */
  kept?: string;
}

export interface ScenarioEval {
  name: string;
  file: string;
  runs: number;
  passed: number;
  passRate: number;
  /** Expectation → share of runs in which it held. */
  expectations: Record<string, number>;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Mean model latency per run. */
  meanModelLatencyMs: number;
  failures: { run: number; kept?: string; mismatches: string[] }[];
}

export interface EvalReport {
  provider: string;
  repeat: number;
  scenarios: ScenarioEval[];
  /** Runs of every scenario, and how many of them passed. */
  runs: number;
  passed: number;
  passRate: number;
}

/** The expectations a scenario states, in a fixed order. */
export function expectationKeys(expect: Scenario['expect']): string[] {
  return (['status', 'rights', 'toolCalls', 'approvals', 'emails', 'output'] as const).filter((k) => expect[k] !== undefined);
}

const keyOf = (where: string) => /^[A-Za-z]+/.exec(where)?.[0] ?? where;

export function summariseScenario(name: string, file: string, expect: Scenario['expect'], runs: readonly EvalRun[]): ScenarioEval {
  const n = runs.length;
  const share = (count: number) => (n === 0 ? 0 : Math.round((count / n) * 1000) / 1000);
  const expectations = Object.fromEntries(
    expectationKeys(expect).map((k) => [k, share(runs.filter((r) => !r.mismatches.some((m) => keyOf(m.where) === k)).length)]),
  );
  const passed = runs.filter((r) => r.passed).length;
  const sum = (f: (r: EvalRun) => number) => runs.reduce((a, r) => a + f(r), 0);
  return {
    name,
    file,
    runs: n,
    passed,
    passRate: share(passed),
    expectations,
    inputTokens: sum((r) => r.inputTokens),
    outputTokens: sum((r) => r.outputTokens),
    costUsd: Math.round(sum((r) => r.costUsd) * 1e6) / 1e6,
    meanModelLatencyMs: n === 0 ? 0 : Math.round(sum((r) => r.modelLatencyMs) / n),
    failures: runs.flatMap((r, i) => (r.passed ? [] : [{ run: i + 1, ...(r.kept ? { kept: r.kept } : {}), mismatches: r.mismatches.map((m) => m.where) }])),
  };
}

export function evalReport(provider: string, repeat: number, scenarios: ScenarioEval[]): EvalReport {
  const runs = scenarios.reduce((a, s) => a + s.runs, 0);
  const passed = scenarios.reduce((a, s) => a + s.passed, 0);
  return { provider, repeat, scenarios, runs, passed, passRate: runs === 0 ? 0 : Math.round((passed / runs) * 1000) / 1000 };
}

/**
 * Whether the eval passes: at least `minPercent` of its runs passed (counted, not the rounded rate), and there was a
 * run at all. `aios eval` exits 1 otherwise, as `aios test` does on a failure, so a script can gate on it.
 */
export function meetsPassRate(report: Pick<EvalReport, 'runs' | 'passed'>, minPercent: number): boolean {
  return report.runs > 0 && report.passed * 100 >= minPercent * report.runs;
}

/** The report as a table a person reads. */
export function formatEvalTable(report: EvalReport): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const lines = [`${report.provider}, each scenario ${report.repeat} time${report.repeat === 1 ? '' : 's'}`, ''];
  lines.push(`${'scenario'.padEnd(56)} ${'pass'.padStart(9)} ${'tokens in/out'.padStart(15)} ${'cost'.padStart(10)} ${'latency'.padStart(9)}`);
  for (const s of report.scenarios) {
    lines.push(
      `${(s.name.length > 56 ? `${s.name.slice(0, 55)}…` : s.name).padEnd(56)} ${`${s.passed}/${s.runs} ${pct(s.passRate)}`.padStart(9)} ${`${s.inputTokens}/${s.outputTokens}`.padStart(15)} ${`$${s.costUsd.toFixed(4)}`.padStart(10)} ${`${(s.meanModelLatencyMs / 1000).toFixed(1)} s`.padStart(9)}`,
    );
    for (const [k, rate] of Object.entries(s.expectations)) if (rate < 1) lines.push(`    ${k.padEnd(52)} ${pct(rate).padStart(9)}`);
    for (const f of s.failures) if (f.kept) lines.push(`    run ${f.run} kept: ${f.kept}`);
  }
  lines.push('', `overall: ${pct(report.passRate)} of runs passed (${report.passed} of ${report.runs})`);
  return `${lines.join('\n')}\n`;
}
