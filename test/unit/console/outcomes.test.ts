/**
 * Outcomes on constructed histories: automation rate with and without
 * approvals, a restarted or replayed run counted once, cost sums, the
 * windows and the days; and the page through the console app.
 */
import { recordHash, GENESIS, type AuditKind, type AuditRecord } from '../../../shared/audit/record';
import exampleOs from '../../../examples/kestrel-coffee';
import { computeOutcomes, groupAttempts, median, shapeOf, sourceEventIdOf, type RunRecord } from '../../../shared/console/outcomes';
import { awsCostOfRun, costPerRun, DEFAULT_ASSUMPTIONS, type RunShape } from '../../../shared/cost/run-cost';
import { loadValidOs } from '../../../shared/definition';
import { buildOutcomes, OUTCOME_RUNS_PER_WORKFLOW } from '../../../shared/console/outcomes-view';
import { consoleHarness, signIn, T0 } from './console-harness';

const NOW = new Date('2026-12-06T18:00:00Z');
const HOUR = 3_600_000;

/** A run's audit chain from (kind, data, at) triples. */
function chain(runId: string, entries: [AuditKind, Record<string, unknown>, string][]): AuditRecord[] {
  let prevHash = GENESIS;
  return entries.map(([kind, data, at], i) => {
    const unsigned = { runId, seq: i + 1, kind, at, data, prevHash };
    const hash = recordHash(unsigned, 'test-key');
    prevHash = hash;
    return { ...unsigned, hash } as AuditRecord;
  });
}

const model = (costUsd: number, at: string): [AuditKind, Record<string, unknown>, string] => [
  'model.called',
  { agentId: 'triage', model: 'm', turn: 1, inputTokens: 10, outputTokens: 5, costUsd },
  at,
];
const asked = (approvalId: string, at: string): [AuditKind, Record<string, unknown>, string] => [
  'approval.requested',
  { approvalId, stage: 'primary', approvers: ['sam'], quorum: 1, deadline: at },
  at,
];
const decided = (approvalId: string, outcome: string, at: string): [AuditKind, Record<string, unknown>, string] => [
  'approval.decided',
  { approvalId, by: 'sam', decision: outcome === 'rejected' ? 'reject' : 'approve', via: 'web', outcome },
  at,
];
const denied = (at: string): [AuditKind, Record<string, unknown>, string] => [
  'rights.evaluated',
  { tool: 'refunds.issue', agentId: 'triage', decision: 'deny', ruleId: 'big-refunds', reason: 'too big', inputDigest: 'x' },
  at,
];

function run(
  runId: string,
  status: RunRecord['status'],
  startedAt: string,
  audit: [AuditKind, Record<string, unknown>, string][],
  extra: Partial<RunRecord> = {},
): RunRecord {
  return { runId, workflowId: 'support-desk', status, startedAt: new Date(startedAt), audit: chain(runId, audit), ...extra };
}

describe('outcomes', () => {
  test('automation rate counts ended runs in which nobody was asked; decisions and their median time come from the approvals', () => {
    const runs = [
      run('a', 'SUCCEEDED', '2026-12-06T09:00:00Z', [model(0.01, '2026-12-06T09:00:01Z')]),
      run('b', 'SUCCEEDED', '2026-12-06T10:00:00Z', [
        model(0.02, '2026-12-06T10:00:01Z'),
        asked('ap-1', '2026-12-06T10:00:02Z'),
        decided('ap-1', 'pending', '2026-12-06T11:00:02Z'),
        decided('ap-1', 'approved', '2026-12-06T13:00:02Z'),
      ]),
      run('c', 'FAILED', '2026-12-06T11:00:00Z', [
        asked('ap-2', '2026-12-06T11:00:00Z'),
        decided('ap-2', 'rejected', '2026-12-06T12:00:00Z'),
        denied('2026-12-06T12:00:01Z'),
      ]),
      run('d', 'SUCCEEDED', '2026-12-05T11:00:00Z', [denied('2026-12-05T11:00:01Z')]),
      // Still running: counted as a run, not in the rates.
      run('e', 'RUNNING', '2026-12-06T17:00:00Z', []),
    ];
    const [w] = computeOutcomes(['support-desk'], runs, { now: NOW, windowsDays: [7, 30] });
    const week = w.windows[7];
    expect(week.runs).toBe(5);
    expect(week.ended).toBe(4);
    expect(week.succeeded).toBe(3);
    expect(week.successRate).toBeCloseTo(3 / 4);
    expect(week.automated).toBe(2); // a and d: nobody asked
    expect(week.automationRate).toBeCloseTo(2 / 4);
    expect(week.decisionsAsked).toBe(2);
    // The deciding vote, not the first vote: 3 h and 1 h.
    expect(week.decisionTimesMs.sort()).toEqual([HOUR, 3 * HOUR].sort());
    expect(week.medianDecisionMs).toBe(2 * HOUR);
    expect(week.deniedCalls).toBe(2);
  });

  test('without any approval every ended run is automated', () => {
    const runs = [run('a', 'SUCCEEDED', '2026-12-06T09:00:00Z', []), run('b', 'FAILED', '2026-12-06T09:30:00Z', [denied('2026-12-06T09:30:01Z')])];
    const [w] = computeOutcomes(['support-desk'], runs, { now: NOW, windowsDays: [7] });
    expect(w.windows[7].automationRate).toBe(1);
    expect(w.windows[7].successRate).toBe(0.5);
  });

  test('a redriven run (same run id listed twice) and a replayed event (same event id, new run) count once; the latest attempt decides; spend adds up', () => {
    const runs = [
      run('first', 'FAILED', '2026-12-06T09:00:00Z', [model(0.1, '2026-12-06T09:00:01Z')], { sourceEventId: 'evt-1' }),
      run('replay', 'SUCCEEDED', '2026-12-06T12:00:00Z', [model(0.05, '2026-12-06T12:00:01Z')], { sourceEventId: 'evt-1' }),
      run('redriven', 'SUCCEEDED', '2026-12-06T13:00:00Z', [model(0.2, '2026-12-06T13:00:01Z')]),
      run('redriven', 'SUCCEEDED', '2026-12-06T13:00:00Z', [model(0.2, '2026-12-06T13:00:01Z')]),
      // The same event id in another workflow is other work.
      { ...run('other', 'SUCCEEDED', '2026-12-06T12:00:00Z', []), workflowId: 'sales-follow-up', sourceEventId: 'evt-1' },
    ];
    expect(groupAttempts(runs)).toHaveLength(3);
    const awsCostOfRun = (workflowId: string) => (workflowId === 'support-desk' ? 0.001 : 0);
    const [w, sales] = computeOutcomes(['support-desk', 'sales-follow-up'], runs, { now: NOW, windowsDays: [7], awsCostOfRun });
    const week = w.windows[7];
    expect(week.runs).toBe(2);
    expect(week.succeeded).toBe(2);
    expect(week.successRate).toBe(1);
    expect(week.modelUsd).toBeCloseTo(0.35);
    // AWS is paid per attempt: three attempts.
    expect(week.awsUsd).toBeCloseTo(0.003);
    expect(week.totalUsd).toBeCloseTo(0.353);
    expect(week.costPerRunUsd).toBeCloseTo(0.353 / 2);
    expect(sales.windows[7].runs).toBe(1);
    expect(sales.windows[7].totalUsd).toBe(0);
  });

  test('cost sums: model spend from the records, AWS spend per attempt at its shape, shown apart and as a total per run', () => {
    const gate = (at: string): [AuditKind, Record<string, unknown>, string] => [
      'rights.evaluated',
      { tool: 'orders.lookup', agentId: 'triage', decision: 'allow', ruleId: 'reads', reason: 'reads are fine', inputDigest: 'x' },
      at,
    ];
    const runs = [
      // Two think steps, one tool call.
      run('a', 'SUCCEEDED', '2026-12-06T09:00:00Z', [model(0.01, '2026-12-06T09:00:01Z'), gate('2026-12-06T09:00:02Z'), model(0.02, '2026-12-06T09:00:03Z')]),
      // Failed after one think step, then replayed from its event: 3 think steps, 2 tool calls.
      run('b1', 'FAILED', '2026-12-06T10:00:00Z', [model(0.04, '2026-12-06T10:00:01Z')], { sourceEventId: 'evt-b' }),
      run(
        'b2',
        'SUCCEEDED',
        '2026-12-06T11:00:00Z',
        [
          model(0.01, '2026-12-06T11:00:01Z'),
          gate('2026-12-06T11:00:02Z'),
          gate('2026-12-06T11:00:03Z'),
          model(0.01, '2026-12-06T11:00:04Z'),
          model(0.01, '2026-12-06T11:00:05Z'),
        ],
        { sourceEventId: 'evt-b' },
      ),
    ];
    expect(shapeOf(runs[2].audit)).toEqual({ thinks: 3, toolCalls: 2 });
    const priced: RunShape[] = [];
    // A made-up AWS price: $0.001 per think step and $0.0005 per tool call, so every sum is checkable by hand.
    const awsCostOfRun = (_: string, shape: RunShape) => (priced.push(shape), 0.001 * shape.thinks + 0.0005 * shape.toolCalls);
    const [w] = computeOutcomes(['support-desk'], runs, { now: NOW, windowsDays: [7, 30], awsCostOfRun });
    const week = w.windows[7];
    expect(priced).toEqual(
      expect.arrayContaining([
        { thinks: 2, toolCalls: 1 },
        { thinks: 1, toolCalls: 0 },
        { thinks: 3, toolCalls: 2 },
      ]),
    );
    expect(week.runs).toBe(2);
    expect(week.modelUsd).toBeCloseTo(0.03 + 0.04 + 0.03, 12);
    expect(week.awsUsd).toBeCloseTo(0.0025 + 0.001 + 0.004, 12);
    expect(week.totalUsd).toBeCloseTo(0.1 + 0.0075, 12);
    expect(week.modelPerRunUsd).toBeCloseTo(0.1 / 2, 12);
    expect(week.awsPerRunUsd).toBeCloseTo(0.0075 / 2, 12);
    expect(week.costPerRunUsd).toBeCloseTo(0.1075 / 2, 12);
    expect(w.daily.at(-1)).toMatchObject({ runs: 2 });
    expect(w.daily.at(-1)!.totalUsd).toBeCloseTo(0.1075, 12);
    // Without an AWS price the spend is the models' alone.
    expect(computeOutcomes(['support-desk'], runs, { now: NOW, windowsDays: [7] })[0].windows[7]).toMatchObject({ awsUsd: 0, awsPerRunUsd: 0 });
  });

  test("the AWS price of an attempt is `aios cost`'s AWS lines (no Bedrock) at the attempt's think steps and tool calls", () => {
    const os = loadValidOs(exampleOs);
    const price = awsCostOfRun(os);
    // The CLI's typical path: 3 think steps with one tool call on each acting turn.
    const typical = costPerRun(os).find((c) => c.workflowId === 'support-desk')!;
    const awsLines = typical.lines.filter((l) => !l.item.startsWith('Bedrock'));
    expect(awsLines.map((l) => l.item)).toEqual([
      'Step Functions state transitions',
      'Lambda requests',
      'Lambda compute (arm64)',
      'DynamoDB reads',
      'DynamoDB writes',
      'EventBridge events',
    ]);
    const aws = awsLines.reduce((s, l) => s + l.usd, 0);
    expect(typical.awsUsd).toBeCloseTo(aws, 12);
    expect(price('support-desk', { thinks: DEFAULT_ASSUMPTIONS.agentTurns, toolCalls: DEFAULT_ASSUMPTIONS.agentTurns - 1 })).toBeCloseTo(aws, 12);
    // A longer run costs more on AWS; an unknown workflow costs nothing.
    expect(price('support-desk', { thinks: 10, toolCalls: 9 })).toBeGreaterThan(aws);
    expect(price('no-such-workflow', { thinks: 1, toolCalls: 0 })).toBe(0);
  });

  test('windows are today and the days before it; days are UTC, oldest first; older runs are out', () => {
    const runs = [
      run('today', 'SUCCEEDED', '2026-12-06T00:30:00Z', [model(1, '2026-12-06T00:30:01Z')]),
      run('six-days-ago', 'SUCCEEDED', '2026-11-30T23:00:00Z', [model(2, '2026-11-30T23:00:01Z')]),
      run('seven-days-ago', 'SUCCEEDED', '2026-11-29T23:59:00Z', [model(4, '2026-11-29T23:59:01Z')]),
      run('old', 'SUCCEEDED', '2026-10-01T00:00:00Z', [model(8, '2026-10-01T00:00:01Z')]),
    ];
    const [w] = computeOutcomes(['support-desk'], runs, { now: NOW, windowsDays: [7, 30] });
    expect(w.windows[7].runs).toBe(2);
    expect(w.windows[7].totalUsd).toBe(3);
    expect(w.windows[30].runs).toBe(3);
    expect(w.windows[30].totalUsd).toBe(7);
    expect(w.daily).toHaveLength(30);
    expect(w.daily[29]).toMatchObject({ day: '2026-12-06', runs: 1, totalUsd: 1 });
    expect(w.daily[0].day).toBe('2026-11-07');
    expect(w.daily.find((d) => d.day === '2026-11-29')).toMatchObject({ runs: 1, totalUsd: 4 });
    expect(w.daily.reduce((s, d) => s + d.runs, 0)).toBe(3);
  });

  test('no runs: zero runs and no rates, not NaN', () => {
    const [w] = computeOutcomes(['weekly-review'], [], { now: NOW, windowsDays: [7] });
    expect(w.windows[7]).toMatchObject({ runs: 0, successRate: null, automationRate: null, medianDecisionMs: null, costPerRunUsd: null, totalUsd: 0 });
    expect(median([3, 1, 2])).toBe(2);
  });

  test('the source event id is read only from an EventBridge event', () => {
    expect(sourceEventIdOf(JSON.stringify({ id: 'e-1', 'detail-type': 'ticket.created', detail: {} }))).toBe('e-1');
    expect(sourceEventIdOf(JSON.stringify({ id: 'x' }))).toBeUndefined();
    expect(sourceEventIdOf('not json')).toBeUndefined();
    expect(sourceEventIdOf(undefined)).toBeUndefined();
  });
});

describe('outcomes page', () => {
  test('an admin sees each workflow with both windows and daily SVG charts; a non-admin gets 403', async () => {
    const h = consoleHarness();
    h.executions.add('run-a', 'support-desk', 'SUCCEEDED', new Date(T0.getTime() - HOUR));
    h.executions.add('run-b', 'support-desk', 'FAILED', new Date(T0.getTime() - 2 * HOUR));
    await h.deps.audit.append('run-a', 'model.called', { agentId: 'triage', model: 'm', turn: 1, inputTokens: 1, outputTokens: 1, costUsd: 0.5 });
    await h.deps.audit.append('run-b', 'approval.requested', { approvalId: 'ap', stage: 'primary', approvers: ['sam'], quorum: 1, deadline: T0.toISOString() });
    const maya = await signIn(h, 'maya@kestrel.example');
    const res = await maya.get('/console/outcomes');
    expect(res.status).toBe(200);
    const block = /data-workflow="support-desk"[\s\S]*?<\/section>/.exec(res.html)![0];
    expect(block).toContain('<td data-window="7" data-metric="Runs">2</td>');
    expect(block).toMatch(/data-window="30" data-metric="Success rate">50%/);
    expect(block).toMatch(/data-window="7" data-metric="Automation rate">50%/);
    expect(block).toMatch(/data-window="7" data-metric="Total spend">\$0\.50/);
    expect(block).toMatch(/data-window="7" data-metric="Cost per run">\$0\.25/);
    expect((block.match(/<svg /g) ?? []).length).toBe(8);
    expect(res.html).not.toMatch(/style=/);

    const sam = await signIn(h, 'sam@kestrel.example');
    expect((await sam.get('/console/outcomes')).status).toBe(403);
  });

  test('bounded reads: at most OUTCOME_RUNS_PER_WORKFLOW runs of a workflow are read, one DescribeExecution each, and the page says so; a replay counts once', async () => {
    const h = consoleHarness();
    const extra = 5;
    for (let i = 0; i < OUTCOME_RUNS_PER_WORKFLOW + extra; i++)
      h.executions.add(`run-${String(i).padStart(4, '0')}`, 'support-desk', 'SUCCEEDED', new Date(T0.getTime() - (i + 1) * 60_000));
    // The newest two: one event and its replay.
    const event = JSON.stringify({ id: 'evt-7', 'detail-type': 'ticket.created', detail: {} });
    h.executions.add('first-try', 'sales-follow-up', 'FAILED', new Date(T0.getTime() - 2 * HOUR)).input = event;
    h.executions.add('replayed', 'sales-follow-up', 'SUCCEEDED', new Date(T0.getTime() - HOUR)).input = event;
    const maya = await signIn(h, 'maya@kestrel.example');
    h.executions.describeCalls = 0;
    const res = await maya.get('/console/outcomes');
    expect(res.status).toBe(200);
    expect(h.executions.describeCalls).toBe(OUTCOME_RUNS_PER_WORKFLOW + 2);
    const desk = /data-workflow="support-desk"[\s\S]*?<\/section>/.exec(res.html)![0];
    expect(desk).toContain(`Based on the last ${OUTCOME_RUNS_PER_WORKFLOW} runs, started since`);
    expect(desk).toContain(`<td data-window="7" data-metric="Runs">${OUTCOME_RUNS_PER_WORKFLOW}</td>`);
    const sales = /data-workflow="sales-follow-up"[\s\S]*?<\/section>/.exec(res.html)![0];
    expect(sales).not.toContain('Based on the last');
    expect(sales).toContain('<td data-window="7" data-metric="Runs">1</td>');
    expect(sales).toMatch(/data-window="7" data-metric="Success rate">100%/);

    // The cap is a parameter of the reads: with 3, three runs a workflow are read.
    h.executions.describeCalls = 0;
    const { outcomes, capped } = await buildOutcomes(h.deps, 3);
    expect(h.executions.describeCalls).toBe(3 + 2);
    expect(capped['support-desk']).toEqual({ counted: 3, since: new Date(T0.getTime() - 3 * 60_000) });
    expect(capped['sales-follow-up']).toBeUndefined();
    expect(outcomes.find((o) => o.workflowId === 'support-desk')!.windows[30].runs).toBe(3);
  });
});
