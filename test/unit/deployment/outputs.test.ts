/**
 * Deployment outputs: the stack's CloudFormation outputs read back into the
 * one document the CLI uses, and the CLI reading it from AWS or the local runtime.
 */
import { deploymentVariables, readDeploymentOutputs, type OutputSources } from '../../../cli/deployment-names';
import { outputsFromStack, secretOutputKey, workflowOutputKey, type StackOutput } from '../../../shared/deployment/outputs';

/** DescribeStacks' Outputs of a deployed stack (values as CloudFormation resolves them). */
const described: StackOutput[] = [
  { OutputKey: 'NamePrefix', OutputValue: 'acme' },
  { OutputKey: 'Region', OutputValue: 'eu-west-1' },
  { OutputKey: 'ApiUrl', OutputValue: 'https://abc123.execute-api.eu-west-1.amazonaws.com' },
  { OutputKey: 'ConsoleUrl', OutputValue: 'https://abc123.execute-api.eu-west-1.amazonaws.com/console' },
  { OutputKey: 'BusName', OutputValue: 'acme' },
  { OutputKey: 'SenderEmail', OutputValue: 'aios@acme.example' },
  { OutputKey: 'KnowledgeTableName', OutputValue: 'Acme-DataKnowledge1F2E3D-ABC' },
  { OutputKey: 'StateTableName', OutputValue: 'Acme-DataState4C5B6A-DEF' },
  { OutputKey: 'AuditTableName', OutputValue: 'Acme-DataAudit7F8E9D-GHI' },
  {
    OutputKey: 'WorkflowSupportDeskArn',
    OutputValue: 'arn:aws:states:eu-west-1:111122223333:stateMachine:acme-support-desk',
    Description: 'State machine of workflow support-desk',
  },
  { OutputKey: 'SecretWebhookStripeName', OutputValue: 'acme/webhook-stripe', Description: "Secret webhook-stripe (put the vendor's signing secret in it)" },
];

describe('outputsFromStack', () => {
  it('reads every name back, workflows and secrets by the id their description carries', () => {
    const o = outputsFromStack(described);
    expect(o).toMatchObject({
      target: 'aws',
      namePrefix: 'acme',
      busName: 'acme',
      tables: { knowledge: 'Acme-DataKnowledge1F2E3D-ABC', state: 'Acme-DataState4C5B6A-DEF', audit: 'Acme-DataAudit7F8E9D-GHI' },
      stateMachines: { 'support-desk': 'arn:aws:states:eu-west-1:111122223333:stateMachine:acme-support-desk' },
      secrets: { 'webhook-stripe': 'acme/webhook-stripe' },
    });
    expect(workflowOutputKey('support-desk')).toBe('WorkflowSupportDeskArn');
    expect(secretOutputKey('approval-link-key')).toBe('SecretApprovalLinkKeyName');
  });

  it('names the output a stack from an older AIOS lacks', () => {
    expect(() => outputsFromStack(described.filter((o) => o.OutputKey !== 'StateTableName'))).toThrow(/no output StateTableName/);
  });
});

describe('the CLI reads names one way', () => {
  const sources = (overrides: Partial<OutputSources>): OutputSources => ({
    describeStack: async () => {
      throw new Error('not AWS');
    },
    fetch: async () => {
      throw Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    },
    ...overrides,
  });

  it('with --stack: DescribeStacks of that stack, and the names become the adapters’ environment', async () => {
    const asked: string[] = [];
    const env: NodeJS.ProcessEnv = { AIOS_TABLE_KNOWLEDGE: 'mine-explicitly' };
    const { vars, outputs: out } = await deploymentVariables({ stack: 'Acme' }, env, sources({ describeStack: async (name) => (asked.push(name), described) }));
    expect(asked).toEqual(['Acme']);
    expect(out?.target).toBe('aws');
    // A new object: the process's variables are never written.
    expect(env).toEqual({ AIOS_TABLE_KNOWLEDGE: 'mine-explicitly' });
    expect(vars).toMatchObject({
      AIOS_TARGET: 'aws',
      AIOS_TABLE_STATE: 'Acme-DataState4C5B6A-DEF',
      AIOS_TABLE_AUDIT: 'Acme-DataAudit7F8E9D-GHI',
      AIOS_BUS_NAME: 'acme',
      AIOS_TABLE_KNOWLEDGE: 'mine-explicitly',
    });
    expect(vars.AWS_ENDPOINT_URL).toBeUndefined();
  });

  it('locally: GET /outputs of the runtime; nothing when it does not answer', async () => {
    const doc = { ...outputsFromStack(described), target: 'local' };
    const urls: string[] = [];
    const local = await readDeploymentOutputs(
      {},
      { AIOS_PORT: '5599' },
      sources({ fetch: (async (url: string) => (urls.push(url), new Response(JSON.stringify(doc)))) as typeof fetch }),
    );
    expect(urls).toEqual(['http://127.0.0.1:5599/outputs']);
    expect(local?.target).toBe('local');
    expect(await readDeploymentOutputs({}, { AIOS_PORT: '5599' }, sources({}))).toBeUndefined();
  });
});
