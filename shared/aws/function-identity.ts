/**
 * Who a client aimed at the local runtime signs as. On AWS each function
 * signs with its own role's credentials. On one machine every Lambda handler
 * runs in the runtime's process, and a client aimed at the local endpoint
 * signs with an access key id that is its function's name, so the runtime can
 * hold each call to the statements the deployment plan gives that function.
 * The name is the one Lambda sets in every function's environment,
 * `AWS_LAMBDA_FUNCTION_NAME`; the local runtime sets it in the environment it
 * composes each function from (shared/composition/function-environment.ts).
 * It comes with the environment a client is made from, so each function gets
 * its own clients and nothing has to track which handler is running.
 */

/** The secret half of local credentials: the local runtime never checks signatures. */
const LOCAL_SECRET = 'local';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The variable Lambda (and the local runtime) names the running function in. */
export const FUNCTION_NAME_VARIABLE = 'AWS_LAMBDA_FUNCTION_NAME';

/**
 * Credentials for a client aimed at the local runtime: the function's name as
 * the access key id, else the developer's key, else `local` (neither is checked).
 */
export function localCredentials(env: Readonly<Record<string, string | undefined>>): LocalCredentials {
  const functionName = env[FUNCTION_NAME_VARIABLE];
  if (functionName) return { accessKeyId: functionName, secretAccessKey: LOCAL_SECRET };
  if (env.AWS_ACCESS_KEY_ID) return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' };
  return { accessKeyId: 'local', secretAccessKey: LOCAL_SECRET };
}
