/**
 * The names of a deployment, as one document: what the stack outputs on AWS
 * (CloudFormation outputs, read with DescribeStacks) and what the local
 * runtime serves at `GET /outputs`. The CLI, `aios doctor` and `aios smoke`
 * read names only from it, the same way in both places.
 */
import * as z from 'zod';
import { AiosError } from '../errors';
import type { TableId } from '../tables';

export const deploymentOutputsSchema = z.strictObject({
  target: z.enum(['aws', 'local']),
  /** The prefix of the deployment's names (`aios` unless a second deployment shares the account). */
  namePrefix: z.string(),
  region: z.string(),
  /** Approval pages and webhooks (`POST <apiUrl>/webhooks/<source>`), without a trailing slash. */
  apiUrl: z.string(),
  consoleUrl: z.string(),
  busName: z.string(),
  tables: z.strictObject({ knowledge: z.string(), state: z.string(), audit: z.string() }),
  /** State machine ARN by workflow id. */
  stateMachines: z.record(z.string(), z.string()),
  /** Secret id (name on AWS) by AIOS secret name (`approval-link-key`, `webhook-stripe`, …). */
  secrets: z.record(z.string(), z.string()),
  senderEmail: z.string(),
  /** Where the audit stream is archived (S3, Object Lock), when the deployment has one. */
  auditArchiveBucket: z.string().optional(),
  /** Where large webhook deliveries are stored, when the deployment has one. */
  payloadBucket: z.string().optional(),
  alarmTopicArn: z.string().optional(),
});

export type DeploymentOutputs = z.infer<typeof deploymentOutputsSchema>;

export class DeploymentOutputsError extends AiosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('Deployment.InvalidOutputs', message, details);
  }
}

/** CloudFormation output keys (letters and digits only) of the fixed names. */
export const OUTPUT_KEYS = {
  namePrefix: 'NamePrefix',
  region: 'Region',
  apiUrl: 'ApiUrl',
  consoleUrl: 'ConsoleUrl',
  busName: 'BusName',
  senderEmail: 'SenderEmail',
  auditArchiveBucket: 'AuditArchiveBucketName',
  payloadBucket: 'PayloadBucketName',
  alarmTopicArn: 'AlarmTopicArn',
} as const;

const TABLE_KEYS: Record<TableId, string> = { knowledge: 'KnowledgeTableName', state: 'StateTableName', audit: 'AuditTableName' };
const pascal = (id: string) => id.replace(/(^|[-_.])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/** The output key of a table's name. */
export function tableOutputKey(id: TableId): string {
  return TABLE_KEYS[id];
}

/** The output key of a workflow's state machine ARN (`WorkflowSupportDeskArn`); its description carries the id. */
export function workflowOutputKey(workflowId: string): string {
  return `Workflow${pascal(workflowId)}Arn`;
}

/** The output key of a secret's name (`SecretWebhookStripeName`); its description carries the AIOS name. */
export function secretOutputKey(name: string): string {
  return `Secret${pascal(name)}Name`;
}

/** What an output's description starts with when the key alone cannot be read back into an id. */
export const WORKFLOW_DESCRIPTION = 'State machine of workflow ';
export const SECRET_DESCRIPTION = 'Secret ';

export interface StackOutput {
  OutputKey?: string;
  OutputValue?: string;
  Description?: string;
}

/**
 * The document from a stack's outputs (DescribeStacks).
 *
 * @example outputsFromStack(stack.Outputs ?? []).tables.state // 'Aios-DataState1A2B…'
 */
export function outputsFromStack(outputs: readonly StackOutput[]): DeploymentOutputs {
  const byKey = new Map(outputs.map((o) => [o.OutputKey ?? '', o]));
  const value = (key: string) => byKey.get(key)?.OutputValue;
  const required = (key: string) => {
    const v = value(key);
    if (v === undefined) throw new DeploymentOutputsError(`the stack has no output ${key}: deploy it with this version of AIOS (npx cdk deploy)`, { key });
    return v;
  };
  const stateMachines: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const o of outputs) {
    const description = o.Description ?? '';
    if (o.OutputKey?.startsWith('Workflow') && description.startsWith(WORKFLOW_DESCRIPTION))
      stateMachines[description.slice(WORKFLOW_DESCRIPTION.length).split(' ')[0]] = o.OutputValue ?? '';
    if (o.OutputKey?.startsWith('Secret') && description.startsWith(SECRET_DESCRIPTION))
      secrets[description.slice(SECRET_DESCRIPTION.length).split(' ')[0]] = o.OutputValue ?? '';
  }
  const doc = {
    target: 'aws' as const,
    namePrefix: required(OUTPUT_KEYS.namePrefix),
    region: required(OUTPUT_KEYS.region),
    apiUrl: required(OUTPUT_KEYS.apiUrl).replace(/\/$/, ''),
    consoleUrl: required(OUTPUT_KEYS.consoleUrl),
    busName: required(OUTPUT_KEYS.busName),
    tables: { knowledge: required(TABLE_KEYS.knowledge), state: required(TABLE_KEYS.state), audit: required(TABLE_KEYS.audit) },
    stateMachines,
    secrets,
    senderEmail: required(OUTPUT_KEYS.senderEmail),
    auditArchiveBucket: value(OUTPUT_KEYS.auditArchiveBucket),
    payloadBucket: value(OUTPUT_KEYS.payloadBucket),
    alarmTopicArn: value(OUTPUT_KEYS.alarmTopicArn),
  };
  return deploymentOutputsSchema.parse(JSON.parse(JSON.stringify(doc)));
}

/**
 * The environment the AIOS adapters read their names from, as this deployment
 * names things (the same variables CDK gives each function).
 */
export function outputsAsEnvironment(outputs: DeploymentOutputs): Record<string, string> {
  return {
    AIOS_TABLE_KNOWLEDGE: outputs.tables.knowledge,
    AIOS_TABLE_STATE: outputs.tables.state,
    AIOS_TABLE_AUDIT: outputs.tables.audit,
    AIOS_BUS_NAME: outputs.busName,
    AIOS_PUBLIC_URL: outputs.apiUrl,
    AIOS_WEBHOOK_BASE_URL: outputs.apiUrl,
    AWS_REGION: outputs.region,
    // On AWS the secrets are in Secrets Manager under the deployment's prefix; locally in the data folder.
    ...(outputs.target === 'aws' ? { AIOS_SECRET_PREFIX: `${outputs.namePrefix}/` } : {}),
    ...(outputs.auditArchiveBucket ? { AIOS_AUDIT_ARCHIVE_BUCKET: outputs.auditArchiveBucket } : {}),
    ...(outputs.payloadBucket ? { AIOS_PAYLOAD_BUCKET: outputs.payloadBucket } : {}),
  };
}
