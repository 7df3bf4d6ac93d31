/**
 * The environment CLI commands compose their adapters from (shared/composition):
 * the process's variables, aimed at the local runtime unless told otherwise,
 * and, for commands that act on a deployment, its names from its outputs.
 * Built once per program; `process.env` is read, never written.
 */
import { parseEnvironment, type AiosEnvironment, type EnvironmentVariables } from '../shared/composition/environment';
import type { DeploymentOutputs } from '../shared/deployment/outputs';
import { deploymentVariables, type OutputSources, type TargetOptions } from './deployment-names';
import { localTargetVariables } from './local-endpoint';

export interface CliEnvironment {
  /** The environment for this command: the deployment's once `useDeployment` ran, else the process's aimed at the local runtime. */
  current(): AiosEnvironment;
  /** Aims the commands at the deployment and takes its names; call once, before the command runs. */
  useDeployment(options: TargetOptions, sources?: OutputSources): Promise<DeploymentOutputs | undefined>;
}

/** @param base the process's variables, read when asked (tests replace `process.env`). */
export function createCliEnvironment(base: () => EnvironmentVariables = () => process.env): CliEnvironment {
  let resolved: AiosEnvironment | undefined;
  return {
    current: () => resolved ?? parseEnvironment(localTargetVariables(base())),
    async useDeployment(options, sources) {
      const { vars, outputs } = await deploymentVariables(options, base(), sources);
      resolved = parseEnvironment(vars);
      return outputs;
    },
  };
}
