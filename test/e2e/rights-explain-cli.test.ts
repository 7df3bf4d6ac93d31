/** `aios rights explain` applies the gate's first check: an agent that was not given the tool is refused before any rule. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

it('explains an agent without the tool as the gate decides it, whatever the rules would say', () => {
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, 'bin/aios.js'),
      'rights',
      'explain',
      '--tool',
      'refunds.issue',
      '--agent',
      'research',
      '--input',
      '{"orderId":"KC-10442","amount":5,"currency":"USD","reason":"a torn bag"}',
    ],
    {
      cwd: root,
      env: { ...process.env, AIOS_PORT: '9' },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe(
    'decision: deny (before any rule)\n' +
      'reason:   agent "research" is not given the tool "refunds.issue"\n' +
      `input digest: ${/input digest: ([0-9a-f]{64})/.exec(r.stdout)![1]}\n\n` +
      'rules examined for refunds.issue:\n' +
      '  (none: the gate refuses the call before reading the rules)\n',
  );
});
