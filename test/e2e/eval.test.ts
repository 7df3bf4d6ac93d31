/**
 * `aios eval` against a local OpenAI-compatible server (real HTTP on
 * 127.0.0.1, answers scripted per request): the pass rates reported are the
 * ones the script makes true, failing runs are kept, and --record leaves
 * recordings that `aios test` then replays.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeStarter } from '../../cli/init/write-starter';
import type { EvalReport } from '../../shared/scenarios/eval-report';
import { chatAnswer, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai-server';

jest.setTimeout(120_000);

const root = path.join(__dirname, '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'aios-eval-'));
const definition = path.join(work, 'mine');
const recordings = path.join(work, 'recorded');
const out = path.join(work, 'out');
let fake: FakeOpenAi;
let firstInvoiceRuns = 0;

/** Run 1 of the $420 invoice schedules $2,400 by mistake; every other run answers right. */
function answer(request: Record<string, unknown>) {
  const messages = request.messages as { role: string; content?: unknown }[];
  const first = JSON.stringify(messages.find((m) => m.role === 'user')?.content ?? '');
  const invoice = first.includes('INV-1002') ? 2 : 1;
  const step = messages.filter((m) => m.role === 'assistant').length;
  if (step === 0) {
    if (invoice === 1) firstInvoiceRuns += 1;
    return chatAnswer({ toolCalls: [{ id: `c${invoice}-0`, name: 'knowledge_search', arguments: { query: 'vendors we pay', namespace: 'payables' } }] });
  }
  if (step === 1) {
    const pay =
      invoice === 2
        ? { vendorId: 'V-200', invoiceNumber: 'INV-1002', amount: 2400, payOn: '2026-12-20' }
        : { vendorId: 'V-100', invoiceNumber: 'INV-1001', amount: firstInvoiceRuns === 1 ? 2400 : 420, payOn: '2026-12-15' };
    return chatAnswer({ toolCalls: [{ id: `c${invoice}-1`, name: 'payments_schedule', arguments: pay }] });
  }
  const amount = invoice === 2 ? 2400 : 420;
  return chatAnswer({
    text: JSON.stringify({
      invoiceNumber: `INV-100${invoice}`,
      vendorId: invoice === 2 ? 'V-200' : 'V-100',
      amount,
      scheduled: true,
      summary: `Scheduled $${amount}.`,
    }),
  });
}

const aios = (args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'bin/aios.js'), ...args],
      { cwd: root, env: { ...process.env, AIOS_OS_MODULE: path.join(definition, 'index.ts'), ...env }, timeout: 90_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

beforeAll(async () => {
  writeStarter({ dir: definition, projectRoot: root });
  fake = await startFakeOpenAi(answer);
});
afterAll(async () => {
  await fake?.close();
});

it('reports the pass rates the model makes true, keeps failing runs, and records for aios test', async () => {
  const r = await aios(['eval', '--provider', 'openai', '--repeat', '2', '--out', out, '--record'], {
    AIOS_OPENAI_BASE_URL: fake.baseUrl,
    AIOS_OPENAI_MODEL: 'scripted',
    AIOS_RECORDINGS_DIR: recordings,
  });
  expect(r.stderr).toContain('FAIL a $420 invoice from a known vendor is scheduled without asking (run 1/2)');
  // One run of four failed: a script gating on the eval sees it, as it does with aios test.
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('FAILED: fewer runs passed than --min-pass-rate 100% asks');

  const report = JSON.parse(readFileSync(path.join(out, 'eval.json'), 'utf8')) as EvalReport;
  expect(report.provider).toMatch(/^openai \(http:\/\/127\.0\.0\.1:\d+\/v1, model scripted\), recording into /);
  expect(report.scenarios.map((s) => [s.name, s.passed, s.runs, s.passRate])).toEqual([
    ['a $420 invoice from a known vendor is scheduled without asking', 1, 2, 0.5],
    ['a $2,400 invoice asks the office manager; Ana approves', 2, 2, 1],
  ]);
  expect(report.scenarios[0].expectations).toEqual({ status: 0.5, rights: 0.5, toolCalls: 0.5, approvals: 0.5, output: 0.5 });
  expect(report.scenarios[1].expectations).toEqual({ status: 1, rights: 1, toolCalls: 1, approvals: 1, emails: 1, output: 1 });
  // 3 model calls a run at 11 in / 7 out, but the failing run stopped after 2 (it waits for Ana).
  expect(report.scenarios.map((s) => [s.inputTokens, s.outputTokens])).toEqual([
    [55, 35],
    [66, 42],
  ]);
  expect(report.passRate).toBe(0.75);
  expect(r.stdout).toMatch(/a \$420 invoice .* 1\/2 50%/);
  expect(r.stdout).toContain('overall: 75% of runs passed (3 of 4)');

  const kept = report.scenarios[0].failures[0].kept!;
  expect(kept).toBe(path.join(out, 'failures', '01-small-invoice-paid-run1.json'));
  expect(JSON.parse(readFileSync(kept, 'utf8'))).toMatchObject({
    run: 1,
    observed: { status: 'waiting', approvals: [{ approvers: ['ana'], outcome: 'pending' }] },
  });

  expect(readdirSync(recordings).filter((f) => f.endsWith('.json'))).toHaveLength(2);
  const replayed = spawnSync(process.execPath, [path.join(root, 'bin/aios.js'), 'test'], {
    cwd: root,
    env: { ...process.env, AIOS_OS_MODULE: path.join(definition, 'index.ts'), AIOS_RECORDINGS_DIR: recordings },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(replayed.stdout).toContain('2 passed, 0 failed');
  expect(existsSync(path.join(recordings, 'drafts'))).toBe(false);
});

it('exits 0 when as many runs pass as --min-pass-rate asks', async () => {
  firstInvoiceRuns = 0; // run 1 of the $420 invoice fails again: 3 of 4 pass
  const r = await aios(['eval', '--provider', 'openai', '--repeat', '2', '--out', path.join(work, 'out-75'), '--min-pass-rate', '75'], {
    AIOS_OPENAI_BASE_URL: fake.baseUrl,
    AIOS_OPENAI_MODEL: 'scripted',
  });
  expect(r.stdout).toContain('overall: 75% of runs passed (3 of 4)');
  expect(r.stdout).not.toContain('FAILED');
  expect(r.code).toBe(0);
});

it('--provider bedrock without AWS credentials stops before the first scenario, with one error', async () => {
  // No credentials anywhere the SDK looks, offline: no variables, no profile files, no instance metadata.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  const noCredentials = {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(work, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'),
  };
  const noCredsOut = path.join(work, 'out-bedrock');
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'bin/aios.js'), 'eval', '--provider', 'bedrock', '--repeat', '1', '--out', noCredsOut],
      { cwd: root, env: { ...noCredentials, AIOS_OS_MODULE: path.join(definition, 'index.ts') }, timeout: 90_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(/^error Model\.NoCredentials: the bedrock provider found no AWS credentials \(.+\): set AWS_PROFILE/),
  ]);
  expect(r.stdout).toBe('');
  expect(existsSync(noCredsOut)).toBe(false);
});
