/**
 * The one way CLI commands learn a deployment's names: its outputs document,
 * from CloudFormation DescribeStacks on AWS (`--stack <name>` or
 * `AIOS_TARGET=aws`, stack `AIOS_STACK` or `Aios`) and from `GET /outputs` on
 * the local runtime. The names become the environment the AIOS adapters read
 * (the same variables CDK gives each function); a name set explicitly in the
 * environment wins.
 */
import { cloudFormationClient, stackOutputs } from '../shared/aws/cloudformation-client';
import { deploymentOutputsSchema, outputsAsEnvironment, outputsFromStack, type DeploymentOutputs, type StackOutput } from '../shared/deployment/outputs';
import { AiosError } from '../shared/errors';
import { ensureLocalEndpointEnv, localEndpoint } from './local-endpoint';

export const DEFAULT_STACK_NAME = 'Aios';

export interface TargetOptions {
  /** The CloudFormation stack to read (implies AWS). */
  stack?: string;
}

export interface OutputSources {
  describeStack(stackName: string): Promise<StackOutput[]>;
  fetch: typeof fetch;
}

const defaultSources = (env: NodeJS.ProcessEnv): OutputSources => ({
  describeStack: (name) => stackOutputs(cloudFormationClient({}, env), name),
  fetch: (...args) => fetch(...args),
});

/** Whether the commands talk to AWS rather than the local runtime. */
export function targetsAws(options: TargetOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(options.stack) || (env.AIOS_TARGET ?? '').toLowerCase() === 'aws';
}

/**
 * The deployment's outputs. Locally, undefined when the runtime does not
 * answer (the command then fails with its own "is `npm start` running?").
 */
export async function readDeploymentOutputs(options: TargetOptions = {}, env: NodeJS.ProcessEnv = process.env, sources: OutputSources = defaultSources(env)): Promise<DeploymentOutputs | undefined> {
  if (targetsAws(options, env)) return outputsFromStack(await sources.describeStack(options.stack ?? env.AIOS_STACK ?? DEFAULT_STACK_NAME));
  const endpoint = env.AWS_ENDPOINT_URL ?? localEndpoint(env);
  let response: Response;
  try {
    response = await sources.fetch(`${endpoint.replace(/\/$/, '')}/outputs`, { signal: AbortSignal.timeout(5_000) });
  } catch {
    return undefined;
  }
  if (response.status === 404) return undefined; // an endpoint that is not the AIOS runtime
  const parsed = deploymentOutputsSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new AiosError('Deployment.InvalidOutputs', `${endpoint}/outputs did not answer a deployment outputs document: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * Aims the commands at the deployment and puts its names in the environment.
 * Call once, before any client or table is opened.
 */
export async function useDeployment(options: TargetOptions = {}, env: NodeJS.ProcessEnv = process.env, sources?: OutputSources): Promise<DeploymentOutputs | undefined> {
  if (options.stack) env.AIOS_TARGET = 'aws';
  ensureLocalEndpointEnv(env);
  const outputs = await readDeploymentOutputs(options, env, sources);
  if (outputs) for (const [key, value] of Object.entries(outputsAsEnvironment(outputs))) env[key] ??= value;
  return outputs;
}
