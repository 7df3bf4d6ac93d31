/**
 * The same 50-state chain in JSONPath and in JSONata on the durable engine,
 * same run, alternating rounds: each state adds 1 to a counter and keeps a
 * label (JSONPath: Parameters with States.MathAdd; JSONata: an Output
 * expression). JSONata evaluates asynchronously, outside the engine's batch
 * transaction, so every JSONata state costs an extra commit and a turn of the
 * event loop; this measures what that costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FunctionRegistry } from '../local/functions';
import { openStepFunctions, type LocalStepFunctions } from '../local/stepfunctions';
import { upperMedian } from './timing';

const STATES = 50;
const EXECUTIONS = 20;
const ROUNDS = 5;

function chain(jsonata: boolean): object {
  const States: Record<string, unknown> = {};
  for (let i = 0; i < STATES; i++) {
    const end = i === STATES - 1 ? { End: true } : { Next: `S${i + 1}` };
    States[`S${i}`] = jsonata
      ? { Type: 'Pass', Output: '{% {"n": $states.input.n + 1, "label": $states.input.label} %}', ...end }
      : { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)', 'label.$': '$.label' }, ...end };
  }
  return { ...(jsonata ? { QueryLanguage: 'JSONata' } : {}), StartAt: 'S0', States };
}

async function create(sfn: LocalStepFunctions, name: string, def: object): Promise<string> {
  return ((await sfn.service.handle('CreateStateMachine', { name, definition: JSON.stringify(def) })) as { stateMachineArn: string }).stateMachineArn;
}

/** Runs EXECUTIONS executions side by side; returns transitions per second. */
async function round(sfn: LocalStepFunctions, arn: string): Promise<number> {
  const t0 = performance.now();
  const started = await Promise.all(
    Array.from({ length: EXECUTIONS }, () => sfn.engine.startExecution({ stateMachineArn: arn, input: '{"n":0,"label":"x"}' })),
  );
  const rows = await Promise.all(started.map((s) => sfn.engine.waitForExecution(s.executionArn)));
  const ms = performance.now() - t0;
  if (rows.some((r) => r.status !== 'SUCCEEDED' || JSON.parse(r.output!).n !== STATES)) throw new Error('a benchmark execution went wrong');
  return (EXECUTIONS * STATES) / (ms / 1000);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export default async function (): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aios-bench-jsonata-'));
  const sfn = openStepFunctions({ dataDir: dir, functions: new FunctionRegistry() });
  try {
    const pathArn = await create(sfn, 'chain-jsonpath', chain(false));
    const ataArn = await create(sfn, 'chain-jsonata', chain(true));
    await round(sfn, pathArn);
    await round(sfn, ataArn);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      a.push(await round(sfn, pathArn));
      b.push(await round(sfn, ataArn));
    }
    const jsonPath = upperMedian(a);
    const jsonata = upperMedian(b);
    return [
      '## Step Functions: JSONata against JSONPath',
      '',
      `A ${STATES}-state chain, ${EXECUTIONS} executions side by side, on the durable engine (SQLite on disk); each state adds 1 to a counter and keeps a label. Median of ${ROUNDS} alternating rounds (\`bench/stepfunctions-jsonata.bench.ts\`).`,
      '',
      '| query language | transitions/s | ratio |',
      '|---|---:|---:|',
      `| JSONPath (\`Parameters\` with \`States.MathAdd\`) | ${fmt(jsonPath)} | 1.00× |`,
      `| JSONata (\`Output\` expression, jsonata 2.0.6) | ${fmt(jsonata)} | ${(jsonata / jsonPath).toFixed(2)}× |`,
      '',
      'JSONata evaluates asynchronously (jsonata 2.x has no synchronous API), so the engine evaluates each JSONata state after the batch that entered it commits and records the result in the next batch.',
    ].join('\n');
  } finally {
    sfn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
