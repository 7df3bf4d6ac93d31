/** Each function of the local runtime is composed from the runtime's environment plus its own name, as Lambda sets it. */
import { clientConfig } from '../../../shared/aws/client-config';
import { parseEnvironment } from '../../../shared/composition/environment';
import { functionEnvironment } from '../../../shared/composition/function-environment';

test("a function's environment is the runtime's with its name in AWS_LAMBDA_FUNCTION_NAME; the runtime's is left as it was", () => {
  const runtime = parseEnvironment({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AIOS_BUS_NAME: 'ops', AWS_ACCESS_KEY_ID: 'AKIA' });
  const gate = functionEnvironment(runtime, 'aios-tool-gate');
  expect(gate).toEqual({ ...runtime, vars: { ...runtime.vars, AWS_LAMBDA_FUNCTION_NAME: 'aios-tool-gate' } });
  expect(runtime.vars.AWS_LAMBDA_FUNCTION_NAME).toBeUndefined();
  // Its clients sign with its name; the runtime's own keep the developer's key.
  expect(clientConfig('SFN', {}, gate.vars).credentials?.accessKeyId).toBe('aios-tool-gate');
  expect(clientConfig('SFN', {}, runtime.vars).credentials?.accessKeyId).toBe('AKIA');
});
