/**
 * The run timeline and report, from GetExecutionHistory fixtures: three
 * recorded from the local engine running the example support-desk workflow
 * (succeeded after an approval, failed on a model error, waiting for an
 * approval) and one written in AWS's own chaining (concurrent Map
 * iterations, Lambda-style events, epoch-second timestamps).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderRunList, renderRunReport, renderTimeline, type ExecutionLike, type HistoryEventLike } from '../../../shared/run-timeline';
import { formatDuration } from '../../../shared/run-timeline/durations';
import type { AuditRecord } from '../../../shared/audit/record';
import { startedByHand, type ManualStart } from '../../../shared/contracts/manual-start';

interface Fixture {
  execution: ExecutionLike & { startDate?: string | Date; stopDate?: string | Date };
  events: HistoryEventLike[];
}

function fixture(name: string): { execution: ExecutionLike; events: HistoryEventLike[] } {
  const f = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', `${name}.history.json`), 'utf8')) as Fixture;
  const date = (d: unknown) => (d ? new Date(d as string) : undefined);
  return { execution: { ...f.execution, startDate: date(f.execution.startDate), stopDate: date(f.execution.stopDate) }, events: f.events };
}

function modelCall(seq: number, agentId: string, model: string, inputTokens: number, outputTokens: number, costUsd: number): AuditRecord {
  return {
    runId: 'run-approved',
    seq,
    kind: 'model.called',
    at: '2026-01-09T14:32:06Z',
    data: { agentId, model, turn: seq, inputTokens, outputTokens, costUsd },
    prevHash: '',
    hash: '',
  };
}

const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const SONNET = 'anthropic.claude-3-5-sonnet-20241022-v2:0';

describe('renderTimeline on a succeeded support-desk run', () => {
  const { events } = fixture('support-desk-succeeded');
  const lines = renderTimeline(events);
  const text = lines.join('\n');

  it('starts at +0 with the triggering event and ends with the outcome', () => {
    expect(lines[0]).toMatch(/^ +\+0\.000s  ▶ execution started: event saas\.zendesk \/ zen:event-type:ticket\.created/);
    expect(lines.at(-1)).toMatch(/■ execution succeeded after \d+\.\d{3}s$/);
  });

  it('shows states entered and exited, indented inside the Run parallel', () => {
    expect(text).toMatch(/\+\d\.\d{3}s  ▸ Run \(Parallel\)/);
    expect(text).toMatch(/\+\d\.\d{3}s    ▸ Triage: think \(Task\)/);
    expect(text).toMatch(/\+\d\.\d{3}s    ◂ Triage: think \(\d\.\d{3}s\)/);
  });

  it('shows task calls with what they returned', () => {
    expect(text).toContain('aios-agent-step scheduled');
    expect(text).toMatch(/✓ aios-agent-step succeeded in \d\.\d{3}s: turn \d: 2 tool calls \(refunds\.issue, tickets\.reply\), 1840 in \/ 212 out tokens/);
    expect(text).toMatch(/✓ aios-agent-step succeeded in \d\.\d{3}s: turn \d: done/);
  });

  it('summarises each Map iteration on one line and shows the approval wait and decision', () => {
    expect(text).toMatch(/\[0\] ⏸ waiting for approval of refunds\.issue \{"orderId":"KC-10482","amount":120.* by sam-ortiz, deadline in 1d/);
    expect(text).toMatch(/\[0\] ✓ aios-approval-request succeeded in \d\.\d{3}s: approved by sam-ortiz/);
    expect(text).toMatch(
      /\[0\] ✓ \d\.\d{3}s: check rights: approve \(refund-support-lead\) · await approval: approved by sam-ortiz · run refunds\.issue: ran: refunded \$120\.00/,
    );
    expect(text).toMatch(/\[1\] ✓ \d\.\d{3}s: check rights: allow \(replies-allowed\) · run tickets\.reply: ran: replied on ticket 4821/);
    expect(text).toContain('map done: 2 succeeded');
    // Inner states are folded into the iteration lines, not listed one by one.
    expect(text).not.toContain('▸ Triage: check rights');
  });

  it('keeps offsets non-decreasing', () => {
    const offsets = lines
      .map((l) => /^\s*\+([\d.]+)s/.exec(l)?.[1])
      .filter(Boolean)
      .map(Number);
    expect(offsets.length).toBeGreaterThan(20);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
  });
});

describe('renderTimeline on failed and running runs', () => {
  it('shows the failing task with its error and the run failure', () => {
    const text = renderTimeline(fixture('support-desk-failed').events).join('\n');
    expect(text).toMatch(/✗ aios-agent-step failed in \d\.\d{3}s: Model\.Throttled: Bedrock throttled the request 3 times/);
    expect(text).toContain('parallel failed');
    expect(text).toMatch(/■ execution failed after \d\.\d{3}s: Model\.Throttled: Bedrock throttled the request 3 times$/);
  });

  it('says what a running run is waiting for', () => {
    const lines = renderTimeline(fixture('support-desk-waiting').events);
    expect(lines.at(-2)).toMatch(/\[0\] … waiting for approval of refunds\.issue .* by sam-ortiz/);
    expect(lines.at(-1)).toMatch(/… still running$/);
  });

  it('tells concurrent Map iterations apart by their event chains (AWS shape, Lambda events, retries)', () => {
    const lines = renderTimeline(fixture('aws-concurrent-map').events);
    expect(lines).toContain('  +1m 01s    ✗ aios-agent-step failed in 1.010s: Lambda.TooManyRequestsException: Rate exceeded');
    expect(lines).toContain('  +1m 05s    ✓ aios-agent-step succeeded in 2.510s: turn 1: 2 tool calls (crm.note, email.send), 900 in / 120 out tokens');
    expect(lines).toContain('  +0.020s  ▸ Cool down (Wait)');
    expect(lines).toContain('  +1m 00s  ◂ Cool down (1m 00s)');
    expect(lines).toContain('  +1m 05s    [1] ⏸ waiting for approval of email.send {"to":"dana@example.com"} by leo-park, deadline in 2d');
    expect(lines).toContain('  +1m 06s    [0] ✗ aios-tool-crm-note failed in 0.350s: Tool.Failed: HubSpot answered 503');
    expect(lines).toContain('  +1m 06s    [0] ✓ 0.510s: check rights: allow (notes-allowed) · run crm.note: Tool.Failed: HubSpot answered 503 · tool failed');
    expect(lines.at(-2)).toContain('[1] … waiting for approval of email.send');
  });

  it('renders an empty history without failing', () => {
    expect(renderTimeline([])).toEqual(['(no history events)']);
  });
});

describe('the first line says how the run started', () => {
  const started = (input: unknown) => {
    const first: HistoryEventLike = { id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: 0 };
    return renderTimeline([{ ...first, executionStartedEventDetails: { input: JSON.stringify(input) } } as HistoryEventLike])[0];
  };
  const event = { source: 'saas.hubspot', 'detail-type': 'contact.creation', id: 'sample-hubspot', detail: {} };
  const sam: ManualStart = { operator: 'sam@laptop', via: 'cli' };

  it('an event by its source, type and id; a run started by hand by who typed it, and what they gave', () => {
    expect(started(event)).toContain('▶ execution started: event saas.hubspot / contact.creation (sample-hubspot)');
    expect(started(startedByHand(event, sam))).toContain(
      '▶ execution started: by hand, by sam@laptop (cli); input: event saas.hubspot / contact.creation (sample-hubspot)',
    );
    expect(started(startedByHand({}, sam))).toContain('▶ execution started: by hand, by sam@laptop (cli); input: none');
    expect(started(startedByHand({ orderId: 'KC-1' }, sam))).toContain('▶ execution started: by hand, by sam@laptop (cli); input: input 18 bytes');
  });

  it('a replayed event, and one put on the bus by hand, say so as the audit trail does', () => {
    expect(started({ ...event, 'replay-name': 'local-replay-1' })).toContain(
      '▶ execution started: event saas.hubspot / contact.creation (sample-hubspot), replayed as local-replay-1',
    );
    expect(started({ ...event, resources: ['aios:sent-by:sam@laptop'] })).toContain(
      '▶ execution started: event saas.hubspot / contact.creation (sample-hubspot), put on the bus by hand by sam@laptop',
    );
  });
});

describe('renderRunReport', () => {
  it('adds model usage per agent and model from the audit log, with a total, and the output', () => {
    const { execution, events } = fixture('support-desk-succeeded');
    const audit = [
      modelCall(1, 'triage', HAIKU, 1840, 212, 0.002536),
      { ...modelCall(2, 'triage', HAIKU, 0, 0, 0), kind: 'tool.ran', data: { tool: 'refunds.issue', status: 'ok' } } as AuditRecord,
      modelCall(3, 'triage', HAIKU, 2310, 96, 0.002694),
      modelCall(4, 'research', SONNET, 12000, 800, 0.048),
    ];
    const lines = renderRunReport({ execution, history: events, audit });
    const at = lines.indexOf('model usage');
    expect(lines.slice(at + 1, at + 5)).toEqual([
      '  agent     model                                        calls  input tokens  output tokens  cost USD',
      `  triage    ${HAIKU}      2         4,150            308   $0.0052`,
      `  research  ${SONNET}        1        12,000            800   $0.0480`,
      '  total                                                      3        16,150          1,108   $0.0532',
    ]);
    expect(lines.slice(0, 3)).toEqual(['run       run-approved', 'workflow  support-desk', 'status    SUCCEEDED']);
    expect(lines.join('\n')).toMatch(/output\n  \{\n    "triage": \{\n      "summary": "Refunded KC-10482 and replied"/);
  });

  it('shows the error of a failed run and says when there were no model calls', () => {
    const { execution, events } = fixture('support-desk-failed');
    const lines = renderRunReport({ execution, history: events, audit: [] });
    expect(lines).toContain('  no model calls recorded');
    expect(lines.slice(-2)).toEqual(['error (FAILED)', '  Model.Throttled: Bedrock throttled the request 3 times']);
  });

  it('reports an unreadable audit log instead of failing', () => {
    const { execution, events } = fixture('support-desk-waiting');
    const lines = renderRunReport({
      execution,
      history: events,
      audit: [],
      auditProblem: 'audit log unavailable: no table',
      now: new Date(execution.startDate!.getTime() + 90_000),
    });
    expect(lines).toContain('  (audit log unavailable: no table)');
    expect(lines).toContain('still running: no output yet');
    expect(lines[3]).toMatch(/\(1m 30s so far\)$/);
  });
});

describe('renderRunList', () => {
  it('lists newest first with workflow, status, start and duration', () => {
    const arn = (wf: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${wf}`;
    const lines = renderRunList(
      [
        {
          name: 'old',
          stateMachineArn: arn('support-desk'),
          status: 'SUCCEEDED',
          startDate: new Date('2026-01-09T10:00:00Z'),
          stopDate: new Date('2026-01-09T10:00:04.250Z'),
        },
        { name: 'new', stateMachineArn: arn('sales-follow-up'), status: 'RUNNING', startDate: new Date('2026-01-09T12:00:00Z') },
      ],
      new Date('2026-01-09T14:00:00Z'),
    );
    expect(lines).toEqual([
      'RUN  WORKFLOW         STATUS     STARTED               DURATION',
      'new  sales-follow-up  RUNNING    2026-01-09 12:00:00Z  2h 00m so far',
      'old  support-desk     SUCCEEDED  2026-01-09 10:00:00Z  4.250s',
    ]);
    expect(renderRunList([])).toEqual(['no runs']);
  });
});

test('formatDuration picks a unit a person reads at a glance', () => {
  expect([120, 59_900, 192_000, 7_510_000, 93_600_000].map(formatDuration)).toEqual(['0.120s', '59.9s', '3m 12s', '2h 05m', '1d 02h']);
});
