/**
 * The console with 10,000 runs in the store, against `aios runs` doing the
 * same query, on the local runtime in this process:
 * - the runs list (first page of 50, all workflows), a filtered page deep in
 *   the list (one workflow, one status, page 20 by cursor), and a run page
 *   (a real dispute run with its approval, tool calls and audit chain);
 * - `aios runs --limit 50` and `aios runs show <id>` as a person runs them
 *   (a new process each time, so their times include Node's start-up; the
 *   in-process share is shown by the console's own numbers).
 * Times are the request's wall time over loopback (the runtime serves the
 * console through the same Lambda handler as on AWS).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { stateTable } from '../shared/composition/tables';
import { SETTLE_MS } from '../shared/console/runs-today';
import { startDisputeRuntime } from './dispute-runtime';
import { percentile, timed } from './timing';

const RUNS = Number(process.env.AIOS_BENCH_CONSOLE_RUNS ?? 10_000);
const STATE_ITEMS = 10_000;
const started = performance.now();
const progress = (what: string) => process.stderr.write(`  console bench: ${what} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
const root = path.join(__dirname, '..');

/** Runs the CLI as a child process (asynchronously: the runtime it talks to lives in this process). */
async function timedProcess(n: number, args: string[], env: NodeJS.ProcessEnv): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n + 1; i++) {
    const t0 = performance.now();
    const { code, err } = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(root, 'bin/aios.js'), ...args], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let e = '';
      child.stderr.on('data', (d: Buffer) => (e += d.toString()));
      child.on('exit', (c) => resolve({ code: c, err: e }));
    });
    if (code !== 0) throw new Error(`aios ${args.join(' ')} failed: ${err}`);
    if (i > 0) ms.push(performance.now() - t0);
  }
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

export default async function consoleBench(): Promise<string> {
  const bench = await startDisputeRuntime('console');
  const { rt, aws, dataDir, consoleGet: get } = bench;
  try {
    // One real run: the Stripe dispute, waiting on Sam's approval.
    const dispute = await bench.startDisputeRun();
    progress(`dispute run ${dispute} waits`);

    // 10,000 more runs, spread over the three workflows: each machine's later runs are a single Pass state.
    const ids = Object.keys(rt.installed.stateMachines);
    for (const id of ids)
      await rt.stepFunctions.service.handle('UpdateStateMachine', {
        stateMachineArn: rt.installed.stateMachines[id],
        definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
      });
    const t0 = performance.now();
    for (let i = 0; i < RUNS; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, RUNS - i) }, (_, k) =>
          rt.stepFunctions.service.handle('StartExecution', {
            stateMachineArn: rt.installed.stateMachines[ids[(i + k) % ids.length]],
            name: `bench-${String(i + k).padStart(5, '0')}`,
            input: '{}',
          }),
        ),
      );
    }
    const seedSeconds = (performance.now() - t0) / 1000;
    const seededAt = performance.now();
    progress(`seeded ${RUNS} runs in ${seedSeconds.toFixed(1)} s`);
    await new Promise((r) => setTimeout(r, 1000));
    // Within a minute of their start, runs are not yet in the home page's kept count: each look lists them all.
    const homeRecent = await timed(3, async () => void (await get('/console')));

    // The cursor of page 20 of support-desk's succeeded runs, found by paging there once.
    let cursor = '';
    let deepPage = 1;
    for (; deepPage < 20; deepPage++) {
      const next = /cursor=([\w-]+)/.exec(await get(`/console/runs?workflow=support-desk&status=SUCCEEDED${cursor ? `&cursor=${cursor}` : ''}`))?.[1];
      if (!next) break;
      cursor = next;
    }

    progress('paged to page 20');
    const first = await timed(50, async () => void (await get('/console/runs')));
    const deep = await timed(50, async () => void (await get(`/console/runs?workflow=support-desk&status=SUCCEEDED&cursor=${cursor}`)));
    const run = await timed(50, async () => void (await get(`/console/runs/${dispute}`)));
    const sizes = {
      list: Buffer.byteLength(await get('/console/runs')),
      run: Buffer.byteLength(await get(`/console/runs/${dispute}`)),
      home: Buffer.byteLength(await get('/console')),
    };
    progress('list and run pages timed');
    // Once they settle (SETTLE_MS behind the clock), the first look counts them into the kept count and later looks list only newer runs.
    await new Promise((r) => setTimeout(r, Math.max(0, seededAt + SETTLE_MS + 1000 - performance.now())));
    const home = await timed(20, async () => void (await get('/console')));

    const env: NodeJS.ProcessEnv = { ...process.env, AIOS_PORT: String(rt.port), AIOS_DATA_DIR: dataDir };
    delete env.AWS_ENDPOINT_URL;
    delete env.AIOS_OS_MODULE;
    delete env.AIOS_RECORDINGS_DIR;
    progress('home timed');
    // The queries `aios runs` makes, in this process through the SDK (no process start-up): the fair peer of a page's server time.
    const sfn = aws.sfn();
    const cliQuery = await timed(50, async () => {
      const machines = (await sfn.send(new ListStateMachinesCommand({ maxResults: 1000 }))).stateMachines ?? [];
      const lists = await Promise.all(machines.map((m) => sfn.send(new ListExecutionsCommand({ stateMachineArn: m.stateMachineArn, maxResults: 50 }))));
      lists
        .flatMap((l) => l.executions ?? [])
        .sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0))
        .slice(0, 50);
    });
    const disputeArn = `${rt.installed.stateMachines['support-desk'].replace(':stateMachine:', ':execution:')}:${dispute}`;
    const cliShowQuery = await timed(50, async () => {
      await sfn.send(new DescribeExecutionCommand({ executionArn: disputeArn }));
      await sfn.send(new GetExecutionHistoryCommand({ executionArn: disputeArn, maxResults: 1000, includeExecutionData: true }));
    });
    const cliList = await timedProcess(5, ['runs', '--limit', '50'], env);
    const cliShow = await timedProcess(5, ['runs', 'show', dispute], env);

    // A state table with history in it: 10,000 conversation-sized items (4 KB) the pages must not read.
    const state = stateTable(rt.environment);
    const filler = 'x'.repeat(4000);
    for (let i = 0; i < STATE_ITEMS; i += 50)
      await Promise.all(Array.from({ length: 50 }, (_, k) => state.put({ pk: `run#filler-${i + k}`, sk: 'conversation#triage', messages: filler })));
    progress(`${STATE_ITEMS} items added to the state table`);
    const homeFull = await timed(20, async () => void (await get('/console')));
    const approvalsFull = await timed(20, async () => void (await get('/console/approvals')));

    const row = (what: string, ours: { p50: number; p99: number }, peer?: { p50: number; p99: number }) =>
      `| ${what} | ${ours.p50.toFixed(1)} | ${ours.p99.toFixed(1)} | ${peer ? `${peer.p50.toFixed(0)} | ${peer.p99.toFixed(0)}` : '– | –'} |`;
    return [
      '## Console pages with 10,000 runs',
      '',
      `${RUNS.toLocaleString('en-US')} runs over three workflows plus one real dispute run waiting on its approval, on the local runtime (seeded in ${seedSeconds.toFixed(1)} s). Console times are each request's wall time over loopback through the console's Lambda handler (50 requests after 3 warm-ups; home 3 in the minute after the runs started, 20 after). \`aios runs\` runs as a person runs it, a new Node process each time (5 runs), so its times include start-up.`,
      '',
      '| query | console p50 ms | console p99 ms | `aios runs` p50 ms | `aios runs` p99 ms |',
      '|---|---:|---:|---:|---:|',
      row('newest 50 runs, all workflows (`/console/runs` vs `aios runs --limit 50`)', first, cliList),
      row("`aios runs --limit 50`'s own Step Functions queries, in process (no start-up, no rendering)", cliQuery),
      row(`page ${deepPage} of support-desk SUCCEEDED, by cursor`, deep),
      row('one run: timeline, tool calls, approvals, audit chain (`/console/runs/<id>` vs `aios runs show <id>`)', run, cliShow),
      row("`aios runs show`'s own Step Functions queries, in process", cliShowQuery),
      row("home: what needs me and today's numbers, in the minute after the 10,000 runs started (each look lists them all)", homeRecent),
      row('home, once they settled (kept count: each look lists only the runs since its mark)', home),
      row(`home, with ${STATE_ITEMS.toLocaleString('en-US')} more items of 4 KB in the state table (40 MB of conversations)`, homeFull),
      row(`approvals page, the same`, approvalsFull),
      '',
      `Page sizes: runs list ${(sizes.list / 1024).toFixed(1)} KiB, run page ${(sizes.run / 1024).toFixed(1)} KiB, home ${(sizes.home / 1024).toFixed(1)} KiB (budget 100 KiB each).`,
      "A deep page costs what the first does: the cursor keeps each workflow's Step Functions continuation token, so nothing before it is listed again. The home page counts today's runs without listing the day (shared/console/runs-today.ts): runs started over a minute ago are counted once and the count kept in the state table, so a look lists only the runs started since (and those running, failed, timed out or stopped, by status); model spend is one item per day that the agent step adds to. No page scans the state table: approvals are found through index entries (shared/approvals/approval-index.ts) and controls by key, so the last two rows cost what they cost without the conversations (before, each of these pages scanned the table: locally, with 20,000 such items, home 2.8 s and approvals 1.8 s; on AWS a scan reads 1 MB a call). Before, each look listed every run of the day (over 30 ListExecutions calls here, where Step Functions refills two a second) and read the usage of the newest 500 runs one by one.",
    ].join('\n');
  } finally {
    await bench.close();
  }
}
