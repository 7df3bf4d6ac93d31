/**
 * The local runtime's deployment outputs (`GET /outputs`): the same document
 * a stack's outputs give on AWS, naming what this runtime installed, so every
 * command reads names the same way in both places.
 */
import { DEFAULT_BUS_NAME } from '../shared/deployment/deployment-plan';
import { deploymentOutputsSchema, type DeploymentOutputs } from '../shared/deployment/outputs';
import type { EnvironmentVariables } from '../shared/composition/environment';
import { tableName } from '../shared/tables';

export interface LocalOutputsInput {
  url: string;
  region: string;
  stateMachines: Record<string, string>;
  /** AIOS secret names (kept in the data folder locally). */
  secretNames: readonly string[];
  /** The runtime's own variables (never the process's: the runtime does not write them there). */
  env: EnvironmentVariables;
}

export function localDeploymentOutputs(input: LocalOutputsInput): DeploymentOutputs {
  const env = input.env;
  return deploymentOutputsSchema.parse({
    target: 'local',
    namePrefix: 'aios',
    region: input.region,
    apiUrl: input.url,
    consoleUrl: `${input.url}/console`,
    busName: env.AIOS_BUS_NAME || DEFAULT_BUS_NAME,
    tables: { knowledge: tableName('knowledge', env), state: tableName('state', env), audit: tableName('audit', env) },
    stateMachines: input.stateMachines,
    secrets: Object.fromEntries(input.secretNames.map((name) => [name, name])),
    senderEmail: env.AIOS_EMAIL_FROM ?? 'aios@localhost',
    ...(env.AIOS_AUDIT_ARCHIVE_BUCKET ? { auditArchiveBucket: env.AIOS_AUDIT_ARCHIVE_BUCKET } : {}),
    ...(env.AIOS_PAYLOAD_BUCKET ? { payloadBucket: env.AIOS_PAYLOAD_BUCKET } : {}),
  });
}
