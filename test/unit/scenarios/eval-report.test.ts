import { evalReport, expectationKeys, formatEvalTable, meetsPassRate, summariseScenario, type EvalRun } from '../../../shared/scenarios/eval-report';

const run = (passed: boolean, wheres: string[] = [], tokens = 10): EvalRun => ({
  passed,
  mismatches: wheres.map((where) => ({ where, expected: 1, actual: 2 })),
  inputTokens: tokens,
  outputTokens: tokens / 2,
  costUsd: 0.001,
  modelCalls: 2,
  modelLatencyMs: 300,
});

describe('eval report', () => {
  it('pass rate per scenario and per expectation, sums of tokens and cost, mean latency', () => {
    const s = summariseScenario('s', 'f.json', { status: 'succeeded', rights: [], output: {} }, [
      run(true),
      run(false, ['rights[1] (step a, tool t).decision', 'rights[2]']),
      run(false, ['status']),
    ]);
    expect(s).toMatchObject({
      runs: 3,
      passed: 1,
      passRate: 0.333,
      expectations: { status: 0.667, rights: 0.667, output: 1 },
      inputTokens: 30,
      outputTokens: 15,
      costUsd: 0.003,
      meanModelLatencyMs: 300,
    });
    expect(s.failures).toEqual([
      { run: 2, mismatches: ['rights[1] (step a, tool t).decision', 'rights[2]'] },
      { run: 3, mismatches: ['status'] },
    ]);
    const report = evalReport('openai (x)', 3, [s]);
    expect(report.passRate).toBe(0.333);
    expect(formatEvalTable(report)).toMatch(
      /^openai \(x\), each scenario 3 times\n\nscenario +pass +tokens in\/out +cost +latency\ns +1\/3 33% +30\/15 +\$0\.0030 +0\.3 s\n {4}status +67%\n {4}rights +67%\n\noverall: 33% of runs passed \(1 of 3\)\n$/,
    );
  });

  it('passes only when at least the minimum share of runs passed, and some ran', () => {
    const report = (passed: number, runs: number) => ({ passed, runs });
    expect(meetsPassRate(report(0, 4), 100)).toBe(false);
    expect(meetsPassRate(report(3, 4), 100)).toBe(false);
    expect(meetsPassRate(report(4, 4), 100)).toBe(true);
    expect(meetsPassRate(report(3, 4), 75)).toBe(true);
    expect(meetsPassRate(report(2, 3), 66.7)).toBe(false);
    expect(meetsPassRate(report(0, 4), 0)).toBe(true);
    expect(meetsPassRate(report(0, 0), 0)).toBe(false);
  });

  it('only the expectations a scenario states are rated', () => {
    expect(expectationKeys({ toolCalls: [], emails: [] })).toEqual(['toolCalls', 'emails']);
  });
});
