/** `aios doctor`'s checks on recorded Bedrock, SES and Secrets Manager responses. */
import exampleOs from '../../../examples/kestrel-coffee';
import { loadValidOs } from '../../../shared/definition';
import { planDeployment } from '../../../shared/deployment/deployment-plan';
import {
  checkEmail,
  checkModel,
  checkSecrets,
  checkTriggers,
  renderDoctorReport,
  type FoundationModelAnswer,
  type InferenceProfileAnswer,
} from '../../../shared/deployment/doctor';
import models from '../../fixtures/aws/bedrock-get-foundation-model.json';
import profiles from '../../fixtures/aws/bedrock-get-inference-profile.json';
import ses from '../../fixtures/aws/sesv2.json';

const plan = planDeployment(loadValidOs(exampleOs));
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const statuses = (r: { status: string }[]) => r.map((x) => x.status);

describe('checkModel', () => {
  it('passes an Active model whose profile exists and which the agent step may invoke', () => {
    const r = checkModel(HAIKU, models.active as FoundationModelAnswer, profiles.active as InferenceProfileAnswer, plan);
    expect(statuses(r)).toEqual(['pass', 'pass', 'pass']);
  });

  it('fails a Legacy model, giving its end of life', () => {
    const [lifecycle] = checkModel('anthropic.claude-3-haiku-20240307-v1:0', models.legacy as FoundationModelAnswer, undefined, plan);
    expect(lifecycle).toMatchObject({ status: 'fail', detail: expect.stringContaining('LEGACY on Bedrock, end of life 2027-02-01') });
  });

  it('fails a model past end of life, naming the successor, and a model the role may not invoke', () => {
    const r = checkModel(
      'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      models.endOfLife as FoundationModelAnswer,
      profiles.missing as InferenceProfileAnswer,
      plan,
    );
    expect(statuses(r)).toEqual(['fail', 'fail', 'fail']);
    expect(r[0].detail).toMatch(/end of life on 2026-06-19; use us\.anthropic\.claude-haiku-4-5-20251001-v1:0/);
    expect(r[1].detail).toMatch(/inference profile .* not found/);
    expect(r[2].detail).toMatch(/may not invoke it/);
  });
});

describe('checkEmail', () => {
  it('warns about the SES sandbox and fails an unverified sender', () => {
    const r = checkEmail('maya@kestrel.coffee', ses.getEmailIdentityUnverified, ses.getAccountSandbox);
    expect(r).toEqual([
      { status: 'fail', subject: 'SES sender maya@kestrel.coffee', detail: expect.stringContaining('not verified') },
      { status: 'warn', subject: 'SES account', detail: expect.stringContaining('sandbox') },
    ]);
  });

  it('passes a verified sender in an account with production access', () => {
    expect(statuses(checkEmail('maya@kestrel.coffee', ses.getEmailIdentityVerified, ses.getAccountProduction))).toEqual(['pass', 'pass']);
  });
});

describe('checkSecrets and checkTriggers', () => {
  it('tells a webhook secret still holding the generated value from one the operator set', () => {
    const r = checkSecrets([
      { name: 'approval-link-key', described: { CreatedDate: '2026-12-01T10:00:00Z', LastChangedDate: '2026-12-01T10:00:00Z' } },
      { name: 'webhook-stripe', described: { CreatedDate: '2026-12-01T10:00:00Z', LastChangedDate: '2026-12-02T09:00:00Z' } },
      { name: 'webhook-github', described: { CreatedDate: '2026-12-01T10:00:00Z', LastChangedDate: '2026-12-01T10:00:01Z' } },
      { name: 'webhook-slack' },
    ]);
    expect(statuses(r)).toEqual(['pass', 'pass', 'warn', 'fail']);
  });

  it("warns about a tool's secret the stack created until its value is put in; one read by name only has to exist", () => {
    const created = { CreatedDate: '2026-12-01T10:00:00Z', LastChangedDate: '2026-12-01T10:00:00Z' };
    const r = checkSecrets([
      { name: 'payments-api-key', toolPlaceholder: true, described: created },
      { name: 'payments-api-key', toolPlaceholder: true, described: { ...created, LastChangedDate: '2026-12-03T08:00:00Z' } },
      { name: 'crm-token', toolPlaceholder: false, described: created },
    ]);
    expect(statuses(r)).toEqual(['warn', 'pass', 'pass']);
    expect(r[0].detail).toContain('put the real value in it');
  });

  it('fails a disabled or missing rule', () => {
    const r = checkTriggers(
      { rules: ['a', 'b', 'c'], schedules: ['s'] },
      {
        rules: new Map([
          ['a', 'ENABLED'],
          ['b', 'DISABLED'],
        ]),
        schedules: new Map([['s', 'ENABLED']]),
      },
    );
    expect(statuses(r)).toEqual(['pass', 'fail', 'fail', 'pass']);
  });

  it('reports one line per check and fails when any check failed', () => {
    const report = renderDoctorReport([
      { status: 'pass', subject: 'x', detail: 'fine' },
      { status: 'fail', subject: 'y', detail: 'broken' },
    ]);
    expect(report.failed).toBe(true);
    expect(report.text).toContain('FAIL  y: broken');
    expect(report.text).toContain('1 passed, 0 warnings, 1 failed');
  });
});
