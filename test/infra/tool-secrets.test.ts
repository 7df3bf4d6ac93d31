/**
 * A tool declares the secrets it reads (`secrets`); the deployment plan gives
 * that tool's function, and only it, each one: its id in `AIOS_SECRET_ARN_<NAME>`
 * and GetSecretValue on that secret alone, created by the stack
 * (`<prefix>/tools/<name>`) or an existing one referenced by name. Locally
 * `ctx.secret` serves it from the env or the data dir, and refuses a name the
 * tool did not declare, as its role would on AWS.
 */
import { parseEnvironment } from '../../shared/composition/environment';
import { toolPortsFrom } from '../../shared/composition/tool-ports';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import exampleOs from '../../examples/kestrel-coffee';
import { AiosStack } from '../../infra/aios-stack';
import { ApprovalStore } from '../../shared/approvals/approval-store';
import { AuditLog } from '../../shared/audit/audit-log';
import { loadValidOs, validateOs } from '../../shared/definition';
import { toolSchema, type Tool, type ToolContext } from '../../shared/definition/tool';
import { planDeployment } from '../../shared/deployment/deployment-plan';
import { outputsFromStack } from '../../shared/deployment/outputs';
import { inputDigest } from '../../shared/rights/input-digest';
import { createSecretProvider } from '../../shared/secrets';
import { MemoryTable } from '../../shared/storage/memory-table';
import { runTool } from '../../shared/tools/run-tool';
import { expectOnlyToolReadsSecret } from '../support/tool-secret-template';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const synth = (definition: unknown) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new AiosStack(app, 'Aios', { os: loadValidOs(definition), env: { account: '123456789012', region: 'us-east-1' } });
  return { stack, template: Template.fromStack(stack) };
};

/** The example with a secret on two of its tools: one the stack creates, one that exists already. */
const withSecrets = {
  ...exampleOs,
  tools: exampleOs.tools.map((t) =>
    t.id === 'crm.note'
      ? { ...t, secrets: ['crm-token'] }
      : t.id === 'refunds.issue'
        ? { ...t, secrets: [{ name: 'refunds-api-key', awsSecretName: 'kestrel/payments/refunds' }] }
        : t,
  ),
};

describe('the example as shipped', () => {
  const { template } = synth(exampleOs);
  const resources = template.toJSON().Resources as Record<string, Json>;

  it('gives no tool function a secret beyond the audit chain key', () => {
    const tools = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.AIOS_TOOL_ID);
    expect(tools.length).toBeGreaterThan(3);
    for (const fn of tools) {
      const secretVars = Object.keys(fn.Properties.Environment.Variables as Json).filter((k) => k.startsWith('AIOS_SECRET'));
      expect(secretVars).toEqual(['AIOS_SECRET_ARN_AUDIT_CHAIN_KEY']);
    }
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::SecretsManager::Secret' && String(r.Properties.Name).includes('/tools/'))).toEqual([]);
  });
});

describe('the example with tool secrets', () => {
  const { stack, template } = synth(withSecrets);

  it('creates the secret a tool declares and gives only that tool its id and read access', () => {
    expectOnlyToolReadsSecret(template, { toolId: 'crm.note', envVar: 'AIOS_SECRET_ARN_CRM_TOKEN', createdName: 'aios/tools/crm-token' });
  });

  it('references an existing secret by name, read only by the tool that names it', () => {
    const resource = expectOnlyToolReadsSecret(template, {
      toolId: 'refunds.issue',
      envVar: 'AIOS_SECRET_ARN_REFUNDS_API_KEY',
      referencedName: 'kestrel/payments/refunds',
    });
    expect(JSON.stringify(resource)).toContain(':secret:kestrel/payments/refunds-??????');
    template.resourcePropertiesCountIs('AWS::SecretsManager::Secret', { Name: 'aios/tools/refunds-api-key' }, 0);
  });

  it('outputs each tool secret name, is cdk-nag clean, and the plan says which function holds which', () => {
    const outputs = outputsFromStack(
      Object.entries(template.toJSON().Outputs as Record<string, Json>).map(([key, o]) => ({
        OutputKey: key,
        OutputValue: typeof o.Value === 'string' ? o.Value : 'x',
        Description: o.Description,
      })),
    );
    expect(outputs?.secrets).toMatchObject({ 'crm-token': 'aios/tools/crm-token', 'refunds-api-key': 'kestrel/payments/refunds' });
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    const plan = planDeployment(loadValidOs(withSecrets));
    const holders = plan.functions.filter((f) =>
      f.statements.some((s) => s.resources.some((r) => r.kind === 'secret' && ['crm-token', 'refunds-api-key'].includes(r.name))),
    );
    expect(holders.map((f) => [f.id, f.secrets])).toEqual([
      ['tool-crm-note', ['crm-token']],
      ['tool-refunds-issue', ['refunds-api-key']],
    ]);
  });
});

describe('declaring secrets', () => {
  const problems = (tools: unknown[]) => {
    const r = validateOs({ ...exampleOs, tools });
    return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
  };
  const refunds = exampleOs.tools.find((t) => t.id === 'refunds.issue')!;
  const crm = exampleOs.tools.find((t) => t.id === 'crm.note')!;
  const others = exampleOs.tools.filter((t) => t !== refunds && t !== crm);

  it("refuses the deployment's own secret names and one secret said to live in two places", () => {
    expect(problems([...others, crm, { ...refunds, secrets: ['approval-link-key'] }]).join('\n')).toMatch(/tools.*secrets.*a name the deployment uses itself/);
    expect(problems([...others, crm, { ...refunds, secrets: ['webhook-stripe'] }]).join('\n')).toMatch(/a name the deployment uses itself/);
    expect(problems([...others, { ...crm, secrets: ['api-key'] }, { ...refunds, secrets: [{ name: 'api-key', awsSecretName: 'kestrel/key' }] }])).toEqual([
      'tools.refunds.issue.secrets[0]: "api-key" is also declared by crm.note with no awsSecretName: one secret, one place',
    ]);
    expect(problems([...others, { ...crm, secrets: ['api-key'] }, { ...refunds, secrets: ['api-key'] }])).toEqual([]);
  });
});

describe('ctx.secret on this machine', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aios-tool-secret-'));
  mkdirSync(path.join(dataDir, 'secrets'));
  writeFileSync(path.join(dataDir, 'secrets', 'payments-api-key'), 'key-from-the-data-dir\n');
  const seen: string[] = [];
  const tool: Tool = toolSchema.parse({
    id: 'payments.schedule',
    description: 'Schedule a vendor payment',
    input: z.strictObject({ name: z.string() }),
    sideEffect: 'external',
    idempotent: true,
    secrets: [{ name: 'payments-api-key' }],
    handler: async (input: { name: string }, ctx: ToolContext) => {
      seen.push(await ctx.secret(input.name));
      return { ok: true };
    },
  });
  const call = (name: string, toolUseId: string) => {
    const input = { name };
    const state = new MemoryTable('state');
    const deps = {
      tool,
      agents: [],
      state,
      approvals: new ApprovalStore(state),
      audit: new AuditLog(new MemoryTable('audit'), () => new Date(), { key: async () => 'k' }),
      env: {},
      secrets: createSecretProvider({ env: {}, dataDir }),
      ports: toolPortsFrom(parseEnvironment({}), {}),
    };
    const event = {
      runId: 'run-1',
      workflowId: 'w',
      stepId: 's',
      agentId: null,
      call: { toolUseId, name: tool.id, input },
      approval: null,
      inputDigest: inputDigest(input),
      idempotencyKey: `run-1:${toolUseId}`,
    };
    return runTool(deps, event);
  };

  it('serves a declared secret from the data dir', async () => {
    expect((await call('payments-api-key', 'tu-1')).status).toBe('ran');
    expect(seen).toEqual(['key-from-the-data-dir']);
  });

  it('refuses a secret the tool did not declare, as its role would on AWS', async () => {
    writeFileSync(path.join(dataDir, 'secrets', 'other-key'), 'not yours\n');
    const outcome = await call('other-key', 'tu-2');
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatch(/reads the secret "other-key" but does not declare it \(its secrets: payments-api-key\)/);
    expect(seen).toEqual(['key-from-the-data-dir']);
  });
});
