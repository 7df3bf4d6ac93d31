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
import type { EnvironmentVariables } from '../shared/composition/environment';
import { AiosError } from '../shared/errors';
import { localEndpoint, localTargetVariables, targetsAwsByDefault } from './local-endpoint';

export const DEFAULT_STACK_NAME = 'Aios';

export interface TargetOptions {
  /** The CloudFormation stack to read (implies AWS). */
  stack?: string;
}

export interface OutputSources {
  describeStack(stackName: string): Promise<StackOutput[]>;
  fetch: typeof fetch;
}

const defaultSources = (env: EnvironmentVariables): OutputSources => ({
  describeStack: (name) => stackOutputs(cloudFormationClient({}, env), name),
  fetch: (...args) => fetch(...args),
});

/** Whether the commands talk to AWS rather than the local runtime. */
export function targetsAws(options: TargetOptions, env: EnvironmentVariables): boolean {
  return Boolean(options.stack) || targetsAwsByDefault(env);
}

/** The deployment's outputs, or a `Runtime.Unreachable` error saying how to reach one (the commands that need them). */
export async function requireDeploymentOutputs(options: TargetOptions, env: EnvironmentVariables): Promise<DeploymentOutputs> {
  const outputs = await readDeploymentOutputs(options, env);
  if (!outputs)
    throw new AiosError(
      'Runtime.Unreachable',
      'the local runtime did not answer GET /outputs: start it with `npm start`, or pass --stack <name> for a deployed stack',
    );
  return outputs;
}

/**
 * The deployment's outputs. Locally, undefined when the runtime does not
 * answer (the command then fails with its own "is `npm start` running?").
 */
export async function readDeploymentOutputs(
  options: TargetOptions,
  env: EnvironmentVariables,
  sources: OutputSources = defaultSources(env),
): Promise<DeploymentOutputs | undefined> {
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
  if (!parsed.success)
    throw new AiosError('Deployment.InvalidOutputs', `${endpoint}/outputs did not answer a deployment outputs document: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * The variables aimed at the deployment, with its names (a name set
 * explicitly in `env` wins), and its outputs. A new object: `env` is not changed.
 */
export async function deploymentVariables(
  options: TargetOptions,
  env: EnvironmentVariables,
  sources?: OutputSources,
): Promise<{ vars: EnvironmentVariables; outputs: DeploymentOutputs | undefined }> {
  const aimed = localTargetVariables(options.stack ? { ...env, AIOS_TARGET: 'aws' } : env);
  const outputs = await readDeploymentOutputs(options, aimed, sources);
  return { vars: outputs ? { ...outputsAsEnvironment(outputs), ...stripUnset(aimed) } : aimed, outputs };
}

/** Variables without the ones set to undefined, so they do not hide a deployment's name. */
function stripUnset(env: EnvironmentVariables): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
