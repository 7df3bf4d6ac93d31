/**
 * Where CLI commands send their AWS calls. Unless told otherwise they talk to
 * the local runtime (`npm start`) on http://127.0.0.1:${AIOS_PORT:-4566};
 * `AWS_ENDPOINT_URL` (any endpoint) or `AIOS_TARGET=aws` (real AWS) override it.
 */
import { DEFAULT_LOCAL_PORT, type EnvironmentVariables } from '../shared/composition/environment';

export { DEFAULT_LOCAL_PORT };

/** The local runtime's URL for these variables. */
export function localEndpoint(env: EnvironmentVariables): string {
  return `http://127.0.0.1:${env.AIOS_PORT || DEFAULT_LOCAL_PORT}`;
}

/** Whether the variables aim at real AWS (`AIOS_TARGET=aws`). */
export function targetsAwsByDefault(env: EnvironmentVariables): boolean {
  return (env.AIOS_TARGET ?? '').toLowerCase() === 'aws';
}

/**
 * The variables with AWS_ENDPOINT_URL aimed at the local runtime when it is
 * unset and the target is not AWS (a new object; the given one is not changed).
 */
export function localTargetVariables(env: EnvironmentVariables): EnvironmentVariables {
  if (env.AWS_ENDPOINT_URL || targetsAwsByDefault(env)) return env;
  return { ...env, AWS_ENDPOINT_URL: localEndpoint(env) };
}
