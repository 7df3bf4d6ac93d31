/** The composition root's environment: parsed once, defaults written once, a bad value named with what is allowed. */
import { DEFAULT_BUS, parseEnvironment, withVariables } from '../../../shared/composition/environment';
import { auditLog, tableNameOf } from '../../../shared/composition/tables';

test('defaults: the aios bus, the local sender, the local runtime as the public URL', () => {
  const env = parseEnvironment({});
  expect(env).toMatchObject({ region: 'us-east-1', busName: DEFAULT_BUS, emailFrom: 'AIOS <aios@localhost>', publicUrl: 'http://127.0.0.1:4566' });
  expect(env.endpoint).toBeUndefined();
  expect(parseEnvironment({ AIOS_PORT: '4123' }).publicUrl).toBe('http://127.0.0.1:4123');
});

test('an empty variable is unset, as the shell means it', () => {
  expect(parseEnvironment({ AIOS_BUS_NAME: '', AIOS_PUBLIC_URL: '' })).toMatchObject({ busName: 'aios', publicUrl: 'http://127.0.0.1:4566' });
});

test('a bad value fails with the variable, the value and what is allowed', () => {
  expect(() => parseEnvironment({ AIOS_PUBLIC_URL: 'not a url', AIOS_BUS_NAME: 'bad bus!' })).toThrow(
    expect.objectContaining({
      code: 'Environment.Invalid',
      message: expect.stringMatching(/AIOS_BUS_NAME: an event bus name \(got "bad bus!"\); AIOS_PUBLIC_URL: Invalid URL \(got "not a url"\)/),
    }),
  );
});

test('URLs: http and https only', () => {
  expect(parseEnvironment({ AIOS_PUBLIC_URL: 'https://aios.example/x', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' })).toMatchObject({
    publicUrl: 'https://aios.example/x',
    endpoint: 'http://127.0.0.1:4566',
  });
  for (const bad of ['ftp://aios.example', 'javascript:alert(1)', 'https//aios.example', '/relative'])
    expect(() => parseEnvironment({ AIOS_PUBLIC_URL: bad })).toThrow(/AIOS_PUBLIC_URL: Invalid URL/);
});

test('the variables are kept as given and never written; withVariables makes a new environment', () => {
  const vars: Record<string, string> = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4101', AIOS_TABLE_STATE: 'mine' };
  const env = parseEnvironment(vars);
  expect(env.vars).toBe(vars);
  expect(tableNameOf(env, 'state')).toBe('mine');
  expect(tableNameOf(env, 'audit')).toBe('aios-audit');
  const other = withVariables(env, { AIOS_BUS_NAME: 'acme' });
  expect(other.busName).toBe('acme');
  expect(env.busName).toBe('aios');
  expect(vars).toEqual({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4101', AIOS_TABLE_STATE: 'mine' });
});

test('an adapter is built from the environment it is given, not from process.env', async () => {
  const before = { ...process.env };
  // Nothing answers on port 9: the audit log must try this environment's endpoint.
  const log = auditLog(parseEnvironment({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AIOS_SECRET_AUDIT_CHAIN_KEY: 'k' }));
  await expect(log.records('run-1')).rejects.toThrow(/ECONNREFUSED|connect/);
  expect(process.env).toEqual(before);
});
