/**
 * The environment one function of the local runtime is composed from: the
 * runtime's own, plus the function's name in `AWS_LAMBDA_FUNCTION_NAME`, the
 * variable Lambda sets for every function on AWS. Its clients sign with that
 * name (shared/aws/function-identity.ts), so the runtime holds each function's
 * calls to its own planned permissions; and, as on AWS, two functions share no
 * client, table adapter or secret cache.
 *
 * @example registry.register('aios-tool-gate', createHandler(functionEnvironment(environment, 'aios-tool-gate')));
 */
import { FUNCTION_NAME_VARIABLE } from '../aws/function-identity';
import type { AiosEnvironment } from './environment';

export function functionEnvironment(env: AiosEnvironment, functionName: string): AiosEnvironment {
  return { ...env, vars: { ...env.vars, [FUNCTION_NAME_VARIABLE]: functionName } };
}
