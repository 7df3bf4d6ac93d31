/** The CDK-free parts of the deployment: the plan, the settings and the cost model. */
import exampleOs from '../../examples/kestrel-coffee';
import { compileAll } from '../../shared/compiler';
import { loadValidOs } from '../../shared/definition';
import { planDeployment } from '../../shared/deployment/deployment-plan';
import { toolNeeds } from '../../shared/deployment/tool-needs';
import { resolveSettings } from '../../infra/settings';
import { walkTypicalPath } from '../../shared/cost/asl-walk';
import { costPerRun, DEFAULT_ASSUMPTIONS, US_EAST_1_PRICES } from '../../shared/cost/run-cost';
import { parsePriceOverrides } from '../../cli/commands/cost';
import { alarmCount, fixedMonthlyCost, monthlyTotal } from '../../shared/cost/fixed-cost';

const os = loadValidOs(exampleOs);
const plan = planDeployment(os);

describe('planDeployment', () => {
  it('deploys the system functions and exactly the tools some workflow invokes', () => {
    const ids = plan.functions.map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'agent-step',
        'tool-gate',
        'approval-request',
        'approval-http',
        'emit-event',
        'webhook-ingest',
        'tool-refunds-issue',
        'tool-email-send',
      ]),
    );
    // http.request and events.emit are defined but no agent or step uses them
    expect(ids).not.toContain('tool-http-request');
    expect(ids).not.toContain('tool-events-emit');
    const placeholders = new Set(plan.workflows.flatMap((w) => w.placeholders));
    for (const f of plan.functions) if (f.placeholder) expect(placeholders.has(f.placeholder)).toBe(true);
  });

  it('plans one rule per event trigger and one schedule per schedule trigger', () => {
    expect(plan.rules.map((r) => `${r.workflowId}#${r.index}@${r.bus}`)).toEqual(['support-desk#0@aios', 'support-desk#1@aios', 'sales-follow-up#0@aios']);
    expect(plan.schedules).toHaveLength(1);
    expect(JSON.parse(plan.schedules[0].input)).toMatchObject({ source: 'aios.scheduler', 'detail-type': 'Scheduled Event' });
    expect(plan.workflows.find((w) => w.id === 'sales-follow-up')?.waitsForApprovals).toBe(true);
  });

  it('puts a rule on a partner bus when the trigger names one', () => {
    const partner = loadValidOs({
      ...exampleOs,
      workflows: exampleOs.workflows.map((w) =>
        w.id === 'weekly-review'
          ? { ...w, triggers: [{ kind: 'event' as const, bus: 'aws.partner/saas.example/acme/orders', pattern: { source: ['aws.partner/saas.example'] } }] }
          : w,
      ),
    });
    expect(planDeployment(partner).rules.find((r) => r.workflowId === 'weekly-review')?.bus).toBe('aws.partner/saas.example/acme/orders');
  });

  it('gives built-in tools only what their handler calls', () => {
    const needs = (id: string) => toolNeeds(os.tools.find((t) => t.id === id)!);
    expect(needs('email.send')).toEqual(['runRecords', 'audit', 'email']);
    expect(needs('knowledge.search')).toEqual(['runRecords', 'audit', 'knowledgeRead']);
    expect(needs('refunds.issue')).toEqual(['runRecords', 'audit']);
  });

  it('gives each function its statements as data: the answering of task tokens only on workflows that wait', () => {
    const fn = (id: string) => plan.functions.find((f) => f.id === id)!;
    const answering = fn('approval-http').statements.find((s) => s.actions.includes('states:SendTaskSuccess'));
    expect(answering?.resources).toEqual(plan.workflows.filter((w) => w.waitsForApprovals).map((w) => ({ kind: 'workflow', workflowId: w.id })));
    expect(fn('emit-event').statements).toContainEqual({ actions: ['events:PutEvents'], resources: [{ kind: 'bus' }] });
    expect(fn('tool-email-send').statements).toContainEqual({
      actions: ['ses:SendEmail'],
      resources: [{ kind: 'senderIdentity' }],
      conditions: [{ kind: 'fromSender' }],
    });
    expect(fn('tool-gate').statements.flatMap((s) => s.actions)).not.toContain('bedrock:InvokeModel');
  });
});

describe('resolveSettings', () => {
  it('defaults the sender and alarm recipients to the admins and coerces context strings', () => {
    const s = resolveSettings({ tracing: 'true', apiRateLimit: '10' }, os);
    expect(s).toMatchObject({
      senderEmail: 'maya@kestrel.coffee',
      alarmEmails: ['maya@kestrel.coffee'],
      tracing: true,
      apiRateLimit: 10,
      logLevel: 'ALL',
      includeExecutionData: false,
      retainData: true,
    });
  });

  it('rejects a bad value, naming it', () => {
    expect(() => resolveSettings({ logLevel: 'VERBOSE' }, os)).toThrow(/logLevel.*VERBOSE/);
    expect(() => resolveSettings({ senderEmail: 'not-an-address' }, os)).toThrow(/senderEmail/);
  });
});

describe('cost of a run', () => {
  const compiled = compileAll(os);

  it('counts the support desk transitions along the typical path', () => {
    const path = walkTypicalPath(compiled.get('support-desk')!, DEFAULT_ASSUMPTIONS);
    // prepare, announce, first start?, Run, start, 3×(think, done?), 2 acts × (1 map + 4 states: rights, decide, run, tool), keep, choice, flag, done, announce, succeeded
    expect(path.transitions).toBe(4 + 1 + 6 + 2 + 2 * 4 + 4 + 2);
    expect(path.invocations).toEqual({ FnEmitEvent: 3, FnAgentStep: 3, FnToolGate: 2, FnTool_knowledge_remember: 2 });
  });

  it('grows with the number of turns', () => {
    const more = walkTypicalPath(compiled.get('support-desk')!, { ...DEFAULT_ASSUMPTIONS, agentTurns: 5 });
    expect(more.invocations.FnAgentStep).toBe(5);
  });

  it('prices every workflow with the unit prices given', () => {
    const costs = costPerRun(os);
    expect(costs.map((c) => c.workflowId)).toEqual(['support-desk', 'sales-follow-up', 'weekly-review']);
    const weekly = costs.find((c) => c.workflowId === 'weekly-review')!;
    const transitions = weekly.lines.find((l) => l.item.startsWith('Step Functions'))!;
    expect(transitions.usd).toBeCloseTo(transitions.quantity * US_EAST_1_PRICES.stateTransition, 12);
    const doubled = costPerRun(os, parsePriceOverrides([`stateTransition=${US_EAST_1_PRICES.stateTransition * 2}`]));
    expect(doubled[2].lines[0].usd).toBeCloseTo(transitions.usd * 2, 12);
    expect(costs[0].bedrockCeilingUsd).toBeGreaterThan(0);
  });

  it('refuses an unknown price name', () => {
    expect(() => parsePriceOverrides(['lambdaFoo=1'])).toThrow(/name one of/);
  });
});

describe('monthly cost', () => {
  it('adds the fixed costs to the runs of a month', () => {
    const fixed = fixedMonthlyCost(plan, { dataGb: 2, logGb: 10, secrets: 8 });
    expect(fixed.map((l) => [l.item, l.usd])).toEqual([
      ['Secrets Manager secrets', 8 * 0.4],
      ['KMS key (alarm topic)', 1],
      ['CloudWatch alarms', alarmCount(plan) * 0.1],
      ['CloudWatch Logs storage', 10 * 0.03],
      ['DynamoDB storage', 2 * 0.25],
      ['DynamoDB point-in-time recovery', 2 * 0.2],
    ]);
    const runs = costPerRun(os);
    const month = monthlyTotal(runs, fixed, 3000);
    const average = runs.reduce((s, w) => s + w.totalUsd, 0) / runs.length;
    expect(month.totalUsd).toBeCloseTo(fixed.reduce((s, l) => s + l.usd, 0) + 3000 * average, 10);
  });
});
