/**
 * Every Lambda of the example deployment bundled as the stack bundles it
 * (esbuild, minified, node22, CJS, ES module builds preferred, the pinned AWS SDK v3 included), next to
 * its peer: a bare handler, bundled with the same options, that constructs
 * exactly the SDK clients the function's role may call (its `needs`) and
 * nothing else: the floor the SDK sets. Reported per function: size and
 * fresh-process load time (median of 15, each next to its own peer, the order flipped every run), and
 * from esbuild's metafile what the bundle carries beyond the SDK.
 *
 * The bench sets exit code 1 when a function is over 1.2× its peer's size.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import exampleOs from '../examples/kestrel-coffee';
import { loadValidOs } from '../shared/definition';
import { planDeployment } from '../shared/deployment/deployment-plan';
import type { Need } from '../shared/deployment/function-specs';
import { systemFunctionEntries } from '../infra/definition-entries';
import { definitionModuleFromEnv, toolFunctionEntries } from '../infra/tool-entries';
import { upperMedian } from './timing';

const root = path.resolve(__dirname, '..');
const SIZE_LIMIT = 1.2;
const LOAD_RUNS = 15;

const DYNAMODB = { pkg: '@aws-sdk/client-dynamodb', client: 'DynamoDBClient' };
const SECRETS_MANAGER = { pkg: '@aws-sdk/client-secrets-manager', client: 'SecretsManagerClient' };
const S3 = { pkg: '@aws-sdk/client-s3', client: 'S3Client' };

/** The SDK clients behind each capability a function's role is granted. */
const CLIENTS_OF_NEED: Record<Need, readonly { pkg: string; client: string }[]> = {
  state: [DYNAMODB],
  stateDelete: [DYNAMODB],
  approvalIndex: [DYNAMODB],
  stateScan: [DYNAMODB],
  auditScan: [DYNAMODB],
  runRecords: [DYNAMODB],
  payloads: [S3],
  payloadsRead: [S3],
  auditArchive: [S3],
  // The event source mapping reads the stream with the role; the function itself calls no DynamoDB API.
  auditStream: [],
  // Runs, rules and schedules of the stack's own workflows (the console lists and stops runs, switches rules and schedules).
  steering: [
    { pkg: '@aws-sdk/client-sfn', client: 'SFNClient' },
    { pkg: '@aws-sdk/client-eventbridge', client: 'EventBridgeClient' },
    { pkg: '@aws-sdk/client-scheduler', client: 'SchedulerClient' },
  ],
  // Records are keyed: every audit writer reads the chain key from Secrets Manager.
  audit: [DYNAMODB, SECRETS_MANAGER],
  knowledgeRead: [DYNAMODB],
  knowledgeWrite: [DYNAMODB],
  bus: [{ pkg: '@aws-sdk/client-eventbridge', client: 'EventBridgeClient' }],
  email: [{ pkg: '@aws-sdk/client-sesv2', client: 'SESv2Client' }],
  linkKey: [SECRETS_MANAGER],
  webhookSecrets: [SECRETS_MANAGER],
  taskResponse: [{ pkg: '@aws-sdk/client-sfn', client: 'SFNClient' }],
  bedrock: [{ pkg: '@aws-sdk/client-bedrock-runtime', client: 'BedrockRuntimeClient' }],
  publicUrl: [],
};

interface Bundle {
  bytes: number;
  file: string;
  metafile: Metafile;
}

async function bundle(entry: { path: string } | { contents: string }, outfile: string): Promise<Bundle> {
  const result = await build({
    ...('path' in entry ? { entryPoints: [entry.path] } : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' } }),
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // As infra/constructs/functions.ts bundles: ES module builds first, so unused SDK code is dropped.
    mainFields: ['module', 'main'],
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  const out = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.js'))!;
  return { bytes: out[1].bytes, file: outfile, metafile: result.metafile };
}

/** A bare handler that constructs the given clients, as a function using them would. */
function peerSource(clients: { pkg: string; client: string }[]): string {
  const imports = clients.map((c) => `import { ${c.client} } from '${c.pkg}';`).join('\n');
  const builds = clients.map((c) => `new ${c.client}({})`).join(', ');
  return `${imports}\nexport const handler = async () => { const clients = [${builds}]; return clients.length; };\n`;
}

/**
 * A fresh Node process loading the module (require only, not the process start): its wall milliseconds, and the
 * process's CPU milliseconds over the same span (compile threads included), which preemption by other work on the
 * machine does not inflate.
 */
function loadOf(file: string): { wall: number; cpu: number } {
  const script = `const c=process.cpuUsage();const t=process.hrtime.bigint();require(${JSON.stringify(file)});const w=Number(process.hrtime.bigint()-t)/1e6;const u=process.cpuUsage(c);process.stdout.write(w+' '+(u.user+u.system)/1e3)`;
  const out = execFileSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1' }, encoding: 'utf8' });
  const [wall, cpu] = out.split(' ').map(Number);
  return { wall, cpu };
}

/** Bytes of the output by where they came from: an npm package, or a folder of the repository (two levels). */
function carriedBy(metafile: Metafile): Map<string, number> {
  const out = Object.values(metafile.outputs)[0];
  const by = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const key = m ? m[1] : `${input.split('/').slice(0, 2).join('/')}`;
    by.set(key, (by.get(key) ?? 0) + bytesInOutput);
  }
  return by;
}

/** What a bundle carries that its peer does not, largest first. */
function beyondPeer(ours: Metafile, peer: Metafile): [string, number][] {
  const base = carriedBy(peer);
  return [...carriedBy(ours)]
    .map(([k, v]): [string, number] => [k, v - (base.get(k) ?? 0)])
    .filter(([, v]) => v >= 1024)
    .sort((a, b) => b[1] - a[1]);
}

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

/**
 * Why aios-console stays over 1.2×, measured with esbuild's metafile (Dec 2026, after the knowledge curator and the rules
 * carried once): the console's own bytes against the allowance, then each page bundled as a function of its own (its routes,
 * views and adapters; the other views, the explain form, the tool modules and the clients it does not use stubbed out) next to a
 * peer of only the clients that page needs. Page figures are lower bounds for a split (each page still carries the shell).
 */
const CONSOLE_SPLIT_NOTE = [
  "**Why the console is over, and why splitting it by route would not fix it.** 1.2× the console's peer (457,100 B) allows 548,520 B:",
  '91,420 B beyond the SDK floor, of which the schemas of the SDK commands it sends take 16,252 (Step Functions history and',
  "executions 7.2 KiB, DynamoDB 3.9), leaving about 75 KB for the console's own code and data, where it has 224 KB: its views",
  "(shared/console, 62 KiB), zod for the environment, the run contracts its timeline parses and the tools' input schemas the explain",
  "form checks (34), the generated entry's data (24: the laid-out graphs 19), rights evaluation for the explain form (11), the run",
  'timeline (9), the audit log, table adapter and approvals (23), the stylesheet (7) and the knowledge search (9). What it carried',
  'and did not need is gone: the knowledge write path and embeddings provider (it searches, lists and retires through',
  'shared/knowledge/curator.ts, as the agent step searches: -8.2 KiB), a second copy of every rule (-1.0 KiB) and @middy/core',
  '(-1.6 KB: functions/logged-invocation.ts runs the logging middlewares as middy does);',
  "the tool modules stay, since the explain form warns with each tool's own input schema and approvals read in its `describe`,",
  "and mnemonist and the invoke store are the SDK's own (the peer carries them too). Two thirds of what remains would have to go.",
  'Split by route, the run page alone (its view, graph, conversation and timeline; only its definition data; every other view,',
  'the explain form, the tool modules and the EventBridge, Scheduler and SES clients left out) is 523,342 B against the 364,878 B of',
  'the DynamoDB, Secrets Manager and Step Functions clients it needs (1.43×): 158 KB beyond the floor where 1.2× allows 73 KB, and',
  'the signed-in shell every page needs (session, CSRF, layout, access audit, zod for the environment, middy and the logger) was',
  'about 59 KiB beyond the floor on its own. Measured before these cuts, each page with its own routes and data: home 1.23×,',
  'runs 1.22×, approvals 1.21×, a workflow 1.26×, knowledge 1.28× (about 1.25× now), rights 1.31×, outcomes 1.22×; only sign-in,',
  'the audit page and steering fit.',
  'No grouping of pages reaches 1.2×, so the console stays one function.',
].join(' ');

/**
 * Where the console's cold load goes beyond its peer's, measured Dec 2026 on the built bundle: instructions of a fresh `node
 * --single-threaded` requiring it (valgrind's callgrind; the same file counts the same to a few thousand instructions on a quiet
 * machine, so each step was measured against the one before it), and CPU time of a fresh `require` (runs of 41, alternating with
 * the peer, on a machine shared with other work, so to a few hundredths).
 */
const CONSOLE_LOAD_NOTE = [
  '**Why the console loads slower than its peer.** Most of what is left is size: reading and compiling 240 KB more than the',
  "peer's script (the bundle wrapped in a function that is never called: 93.0 M instructions beyond an empty script against",
  "62.2 M; 20.9 against 13.9 ms of CPU), and the system's share of loading it (about 930 more page faults; of the 12 ms more CPU",
  'a fresh `require` takes, half is system time).',
  "The console makes what only a request needs when a request first asks (a workflow's graph, the explain form's compiled rules",
  "and the trigger directory's schema already did so), and no longer runs while it loads: @middy/core and the stream modules it loads",
  '(node:stream/web), for answers the console never streams (29.0 M instructions: functions/logged-invocation.ts runs',
  "the logging middlewares as middy does, tested against middy); the run contract's schemas, 194 of them (16.9 M: they are",
  'built by functions marked free of side effects, so a bundle drops the ones it never reads, and the run timeline builds the',
  'task results it recognises on its first history; the tool gate and the agent step are 5.4 and 3.0 KB smaller for it); the',
  "definition's data (2.1 M: the generated entry makes it on the first request); the tools' modules with their 95 input",
  'schemas (5.9 M: the entry requires them, from console-tools.ts beside it, when it makes its part; esbuild then wraps them and',
  'zod in initialisers, 1.5 KB); the knowledge search request (1.7 M, built on the first search) and the route table (1.6 M,',
  "made on the first request); and 16 of the environment's schemas (0.7 M: variables checked alike share one). What still runs",
  'is the SDK, as in the peer, and the 27 schemas of the environment, parsed at load so a bad one fails there. In all, beyond an',
  "empty script: 421.5 M instructions at this round's start, 363.7 M after it, the peer 301.5 M (1.40× to 1.21×); CPU time",
  "1.43-1.47× the peer's at the start, 1.28-1.36× after (start and end alternating with the peer in the same runs, on a machine",
  'at load 2.5-5); the bundle 697,655 B at the start, 697,200 B after. Tried and not kept: the data as a string',
  "`JSON.parse` reads on the first request (1.9 M instructions less, 1.5 KB more), the pages' CSP hashed on the first",
  "page (0.5 M less, 29 B more), each tool's module required on its own (2.0 KB where one module of all of them costs 1.5 KB).",
  'A later round (Dec 2026, the instructions the least of runs, since a run now and then counts 5-11 M more on a loaded machine) made',
  "the graphs' edges numbers (each path's first point, then each step; label, error mark and label position beside it: the bundle",
  '2.8 KB smaller, the load the same, since a number costs the parser as a token where a path was one string) and has the console',
  "read conversations through RunConversations, the store's reading side (1.5 KB smaller): 704,748 B, 371.5 M instructions against",
  "371.7 M. Measured and not kept: the data as a single-quoted string `JSON.parse` reads (1.8 M less, 1.3 KB more), the tools' modules",
  "imported while the entry loads, so esbuild does not wrap zod (5.7 M more), zod's `jitless` (0.1 M less). The environment's schemas",
  'cost every function about 9 M instructions at load (a knowledge sync without them: 275.2 M), half of it compiling the zod code a',
  'first parse runs; of what the console loads beyond its peer (64 M), compiling the script takes 42 M (most of it preparsing 250 KB',
  'more), functions run for the first time 12 M.',
].join(' ');

export default async function (): Promise<string> {
  const validOs = loadValidOs(exampleOs);
  const plan = planDeployment(validOs);
  // Each tool function's own entry, as the stack builds it (the example is what os/index.ts exports).
  const entryOptions = { projectRoot: root, definitionModule: definitionModuleFromEnv() };
  const toolEntries = toolFunctionEntries(validOs, entryOptions);
  // The gate's, the agent step's, the approval functions', the console's and the knowledge sync's entries carry the part
  // of the definition they read, as synth writes them (for this deployment: no embeddings model, so no Bedrock client there).
  const systemEntries = systemFunctionEntries(validOs, entryOptions);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aios-bench-bundles-'));
  try {
    const ours = new Map<string, Bundle>();
    const peers = new Map<string, Bundle>();
    const rows: { name: string; entry: string; clients: string[]; peerKey: string; budget: number }[] = [];
    for (const f of plan.functions) {
      const entry = (f.toolId ? toolEntries.get(f.toolId)?.entry : systemEntries.get(f.id)?.entry) ?? path.join(root, f.entry);
      if (!ours.has(entry)) ours.set(entry, await bundle({ path: entry }, path.join(dir, `ours-${ours.size}.js`)));
      const clients = [...new Map(f.needs.flatMap((n) => CLIENTS_OF_NEED[n]).map((c) => [c.client, c])).values()].sort((a, b) =>
        a.client.localeCompare(b.client),
      );
      const peerKey = clients.map((c) => c.client).join('+') || '(none)';
      if (!peers.has(peerKey)) {
        const source = peerSource(clients);
        peers.set(peerKey, await bundle({ contents: source }, path.join(dir, `peer-${peers.size}.js`)));
      }
      rows.push({ name: f.functionName, entry, clients: clients.map((c) => c.client), peerKey, budget: f.bundleBudgetBytes });
    }

    // Fresh-process load in pairs: each function's bundle next to its own peer's, the order flipped every run, so a
    // spell of machine load lands on both sides of a pair; the ratio is the median of the pairs' ratios, not a ratio
    // of two medians taken minutes apart (a peer shared by six tools was measured once per run for all six).
    const loads = new Map<string, { ours: number[]; peer: number[]; ratios: number[]; cpuRatios: number[] }>();
    for (let run = 0; run < LOAD_RUNS; run++) {
      for (const r of rows) {
        const oursFile = ours.get(r.entry)!.file;
        const peerFile = peers.get(r.peerKey)!.file;
        const [first, second] = run % 2 === 0 ? [oursFile, peerFile] : [peerFile, oursFile];
        const a = loadOf(first);
        const b = loadOf(second);
        const [o, p] = first === oursFile ? [a, b] : [b, a];
        const row = loads.get(r.name) ?? { ours: [], peer: [], ratios: [], cpuRatios: [] };
        row.ours.push(o.wall);
        row.peer.push(p.wall);
        row.ratios.push(o.wall / p.wall);
        row.cpuRatios.push(o.cpu / p.cpu);
        loads.set(r.name, row);
      }
    }

    const over: string[] = [];
    const table = rows.map((r) => {
      const o = ours.get(r.entry)!;
      const p = peers.get(r.peerKey)!;
      const sizeRatio = o.bytes / p.bytes;
      if (sizeRatio > SIZE_LIMIT) over.push(r.name);
      const beyond = beyondPeer(o.metafile, p.metafile).slice(0, 4);
      const budget = o.bytes <= r.budget ? 'within' : '**over**';
      const l = loads.get(r.name)!;
      return `| ${r.name} | ${kib(o.bytes)} | ${kib(r.budget)} ${budget} | ${r.clients.join(', ') || 'none'} | ${kib(p.bytes)} | ${sizeRatio.toFixed(2)}×${sizeRatio > SIZE_LIMIT ? ' **over**' : ''} | ${upperMedian(l.ours).toFixed(1)} ms | ${upperMedian(l.peer).toFixed(1)} ms | ${upperMedian(l.ratios).toFixed(2)}× | ${upperMedian(l.cpuRatios).toFixed(2)}× | ${beyond.map(([k, v]) => `${k} ${kib(v)}`).join(', ')} |`;
    });
    if (over.length > 0) process.exitCode = 1;

    const sdkOf = (b: Bundle) =>
      [...carriedBy(b.metafile)]
        .filter(([k]) => k.startsWith('@aws-sdk/') || k.startsWith('@smithy/') || k.startsWith('@aws-crypto/'))
        .reduce((s, [, v]) => s + v, 0);
    const sample = ours.values().next().value as Bundle;
    return [
      '## Lambda bundle sizes',
      '',
      "Each function of the example deployment bundled as `npm run synth` does (esbuild, minified, node22, CJS, ES module builds preferred so unused SDK code is dropped, the pinned AWS SDK v3 included). Peer: a bare handler bundled with the same options that constructs exactly the SDK clients the function's role may call (from its `needs` in shared/deployment/function-specs.ts) and nothing else: the floor the SDK sets. Load: a fresh `node` process timing `require` of the bundle, " +
        `${LOAD_RUNS} runs, each function's bundle loaded next to its own peer's, the order flipped every run; load ÷ peer is the median of the pairs' ratios of wall time, the load columns medians of each side; load CPU ÷ peer the same for the process's CPU time over the \`require\` (user and system, V8's compile threads included), which other work preempting the process does not inflate. Each tool function bundles its own entry, generated as synth does (infra/tool-entries.ts): its tool's module and the tool runner, no other tool (the example declares one tool to a module: every schema a module declares is built in each function that loads it); the agent step, the tool gate, the approval functions, the console and the knowledge sync bundle the part of the definition they read, written as data at synth (infra/definition-entries.ts; the console's workflow graphs laid out there, so it carries coordinates, not dagre, and its rules compiled, so no expression parser); the approval reconciler reads none of it, and the approval pages read the people only (each approval stores the sentence it asks about). The webhook ingest bundles the vendors the triggers listen for (infra/webhook-entry.ts; the example: Stripe, Zendesk, HubSpot). Handler schemas are zod/mini with an own English error map for the issues they can raise (shared/mini-zod.ts, ~1.7 KiB where zod's English locale cost ~3.1 KiB). A schema built at module level stays in every bundle that loads its module (esbuild cannot prove a \`.check\` call pure, and zod's own side-effect-free marks do not reach across modules): the run contract's schemas (shared/contracts) are built in functions marked free of side effects, so a bundle drops those it never reads (the tool-run output, the agent loop's tool outcome); the knowledge documents' schemas (front matter, document, provenance, remember request) and the seed resource's event schema are built on first use (\`z.builtOnFirstUse\`, each call marked pure), so the knowledge sync's load builds the environment's alone (284.1 M instructions beyond an empty script where it was 293.3 M, its peer 260.6 M); and handler refinements are plain checks (\`predicate\`), without zod's custom schema type. emit-event builds the run events' schemas, not the approval events' (events/aios.ts builds those in calls marked pure). No function loads @middy/core: each runs its logging middlewares as middy does (functions/logged-invocation.ts, tested against middy), without the stream modules middy loads for streamed answers, which no function gives (node:stream/web and the web streams behind it: about 33 M instructions of a tool function's cold load, where its peer's takes 264 M beyond an empty script). Each knowledge tool carries one side: knowledge.remember the write path and its request's checks, no document schema (shared/knowledge/version-writer.ts); knowledge.search BM25 search, no vector blending when the deployment has no embeddings model; the console there searches, lists and retires through the curator (shared/knowledge/curator.ts), without the write path. Audit writers' peers include the Secrets Manager client that reads the audit chain key. "Beyond the peer": the largest inputs (npm package or repository folder) of esbuild's metafile that the peer does not carry. Budget: shared/deployment/function-specs.ts. The bench exits 1 when a function is over ${SIZE_LIMIT}× its peer's size.`,
      '',
      '| function | bundle | budget | SDK clients it uses (peer) | peer | size ÷ peer | load | peer load | load ÷ peer | load CPU ÷ peer | largest inputs beyond the peer |',
      '|---|---:|---|---|---:|---:|---:|---:|---:|---:|---|',
      ...table,
      '',
      `SDK code in a bundle (e.g. ${rows[0]?.name}): ${kib(sdkOf(sample))} of ${kib(sample.bytes)}.`,
      over.length === 0 ? `Every function is within ${SIZE_LIMIT}× its peer.` : `Over ${SIZE_LIMIT}× its peer (the bench exits 1): ${over.join(', ')}.`,
      '',
      CONSOLE_SPLIT_NOTE,
      '',
      CONSOLE_LOAD_NOTE,
      '',
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
