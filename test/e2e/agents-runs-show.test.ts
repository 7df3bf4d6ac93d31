/**
 * Issue 5, "the run's tokens and cost appear in `aios runs show`": the
 * example's Zendesk lost-order sample runs on the local runtime with its
 * shipped recording; the real CLI, pointed at the runtime by AIOS_PORT, prints
 * the triage agent's input and output tokens and a USD cost equal to the
 * recording's usage priced by the price table.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { baseModelId, PRICE_TABLE } from '../../shared/agents/prices';
import { ROOT, runIdOf, startAgentsRuntime, type AgentsRuntime } from './agents-runtime';

jest.setTimeout(90_000);

const run = promisify(execFile);
let env: AgentsRuntime;

beforeAll(async () => {
  env = await startAgentsRuntime();
});

afterAll(async () => {
  await env?.close();
});

interface RecordedTurn {
  response: { usage: { inputTokens: number; outputTokens: number } };
}

/** `10275` → a pattern matching `10275` or `10,275`, as a whole number. */
const wholeNumber = (n: number) => `(?<![\\d,.])${n.toLocaleString('en-US').replace(/,/g, ',?')}(?![\\d,.])`;

test('aios runs show prints the triage agent’s tokens and USD cost, matching the recording and the price table', async () => {
  const recording = JSON.parse(readFileSync(path.join(ROOT, 'examples/kestrel-coffee/recordings/support-desk-zendesk-lost-order.json'), 'utf8')) as {
    modelId: string;
    turns: RecordedTurn[];
  };
  const sample = JSON.parse(readFileSync(path.join(ROOT, 'events/samples/bus/zendesk.ticket-created.json'), 'utf8')) as {
    source: string;
    'detail-type': string;
    detail: unknown;
  };
  const arn = await env.startEvent({ source: sample.source, detailType: sample['detail-type'], detail: sample.detail });
  const done = await env.finished(arn);
  const runId = runIdOf(arn);
  expect(done.status).toBe('SUCCEEDED');
  // The refund ran, so every turn took the recording's main answer (not the "Not run" alternatives).
  expect((await env.businessCalls(runId)).map((c) => c.path)).toEqual(['/refunds', '/tickets/4821/replies']);

  const inputTokens = recording.turns.reduce((n, t) => n + t.response.usage.inputTokens, 0);
  const outputTokens = recording.turns.reduce((n, t) => n + t.response.usage.outputTokens, 0);
  const price = PRICE_TABLE[baseModelId(recording.modelId)];
  const costUsd = (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1e6;
  expect(inputTokens).toBe(10_275);
  expect(outputTokens).toBe(537);

  const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin/aios.js'), 'runs', 'show', runId], {
    cwd: ROOT,
    env: { ...process.env, AIOS_PORT: String(env.rt.port) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(stdout).toContain(runId);
  expect(stdout).toContain('SUCCEEDED');
  const row = stdout.split('\n').find((line) => /^\s*triage\s/.test(line) && line.includes(recording.modelId));
  expect(row).toBeDefined();
  const cells = `\\s+${recording.turns.length}\\s+${wholeNumber(inputTokens)}\\s+${wholeNumber(outputTokens)}\\s+\\$${costUsd.toFixed(4).replace('.', '\\.')}`;
  expect(row).toMatch(new RegExp(cells));

  // The CLI's figures are the audit's model-call records, which carry the exact cost.
  const calls = (await env.audit(runId))
    .filter((r) => r.kind === 'model.called')
    .map((r) => r.data as { inputTokens: number; outputTokens: number; costUsd: number });
  expect(calls.map((c) => [c.inputTokens, c.outputTokens])).toEqual(recording.turns.map((t) => [t.response.usage.inputTokens, t.response.usage.outputTokens]));
  expect(calls.reduce((n, c) => n + c.costUsd, 0)).toBeCloseTo(costUsd, 8);
});
