/**
 * The fault harness: the whole local runtime in a child process (its own
 * process group) under a mixed, seeded load — signed webhooks from every
 * vendor, events put on the bus, approvals decided concurrently through the
 * approval page's form and the CLI, a few hostile requests — while the
 * process group is SIGKILLed at random moments and restarted on the same
 * data folder. Then every approval still open is decided, the runs are let
 * finish, and the invariants of issue 18 are checked:
 *
 * 1. every acknowledged webhook delivery became at least one bus event (a
 *    kill between the bus accepting it and the ledger marking it done
 *    republishes it; every copy names the delivery) and, when it triggers a
 *    workflow, exactly one run — a copy starts an execution too, as on AWS,
 *    which must end at once as a duplicate of that run; every acknowledged
 *    bus event exactly one run;
 * 2. every tool call that ran reached the business system exactly once,
 *    every denied or unapproved one never;
 * 3. every decided approval resumed its run exactly once, and its
 *    decisions are audited once each;
 * 4. no run is stuck: each finished (after the last approvals are decided);
 * 5. `aios audit verify` passes and lists every run.
 *
 * Used by test/crash/fault-harness.test.ts (bounded, in CI) and by
 * `npm run chaos -- --minutes 30 --seed N` (bench/chaos.ts).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import Database from 'better-sqlite3';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { webhookVendors } from '../../events';
import { readBusinessCalls } from '../../local/fake-business/fake-business-app';
import { ApprovalStore } from '../../shared/approvals/approval-store';
import { AuditLog } from '../../shared/audit/audit-log';
import type { AuditRecord } from '../../shared/audit/record';
import { createAwsClients, type AwsClients } from '../../shared/aws/clients';
import { openTable } from '../../shared/tables';
import { EXAMPLE_OS_MODULE } from '../support/example';
import { atMostOnceRefusal, type RefusalEvidence } from './at-most-once';
import { ApprovalDecider, fetchWithin, REQUEST_TIMEOUT_MS, within, type CliRun } from './approval-decider';

const ROOT = path.join(__dirname, '..', '..');
const SAMPLES = path.join(ROOT, 'events', 'samples');

export interface HarnessOptions {
  seed: number;
  /** SIGKILLs of the runtime's process group (at least this many). */
  kills: number;
  /** Keep killing until this much time has passed (the long run); default: just `kills` rounds. */
  minutes?: number;
  log?: (line: string) => void;
}

export interface HarnessReport {
  seed: number;
  kills: number;
  durationSeconds: number;
  /** `republished`: extra bus events of a delivery whose first publish was not marked done before a kill (one run each still). */
  deliveries: { sent: number; acknowledged: number; republished: number; byVendor: Record<string, number> };
  busEvents: { sent: number; acknowledged: number };
  runs: number;
  /** Executions a republished delivery started that ended at once as duplicates of its run. */
  duplicateStarts: number;
  approvals: { decided: number; viaForm: number; viaCli: number; approved: number; rejected: number; cancelled: number };
  businessCalls: number;
  hostile: { sent: number; answered5xx: number };
  invariantChecks: number;
  /**
   * Runs failed by the at-most-once rule as test/crash/at-most-once.ts defines it (a non-idempotent call killed after
   * its beforeEffect mark, no effect recorded, refused on retry): expected, reported apart, not violations.
   */
  atMostOnceRefusals: string[];
  violations: string[];
}

/** mulberry32: small, seeded, good enough to choose moments and mixes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The drain ends when nothing (runs running, approvals pending, deliveries unacknowledged) changed for this long. */
const DRAIN_QUIET_MS = 180_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sample = (name: string): unknown => JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8'));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** One webhook delivery as the vendor would send it, with the id the run's input will carry. */
interface Delivery {
  vendor: string;
  body: Buffer;
  eventType?: string;
  /** The id by which the bus event and the run are found. */
  key: string;
  /** Workflow it triggers, if any. */
  workflow?: string;
  acknowledged: boolean;
}

function makeDelivery(vendor: string, n: number, seed: number): Delivery {
  const tag = `${seed}-${n}`;
  switch (vendor) {
    case 'zendesk': {
      const body = { ...(sample('zendesk.ticket-created.json') as Record<string, unknown>), id: `zen-${tag}` };
      return { vendor, body: Buffer.from(JSON.stringify(body)), key: `zen-${tag}`, workflow: 'support-desk', acknowledged: false };
    }
    case 'stripe': {
      const body = { ...(sample('stripe.charge.dispute.created.json') as Record<string, unknown>), id: `evt_${tag.replace('-', '_')}` };
      return { vendor, body: Buffer.from(JSON.stringify(body)), key: String(body.id), workflow: 'support-desk', acknowledged: false };
    }
    case 'hubspot': {
      const [first] = sample('hubspot.contact.creation.json') as Record<string, unknown>[];
      const eventId = seed * 100_000 + n;
      return { vendor, body: Buffer.from(JSON.stringify([{ ...first, eventId }])), key: String(eventId), workflow: 'sales-follow-up', acknowledged: false };
    }
    case 'github': {
      const body = sample('github.issues.json') as { issue: Record<string, unknown> };
      body.issue = { ...body.issue, id: 900_000_000 + n, number: n, title: `Chaos ${tag}` };
      return { vendor, body: Buffer.from(JSON.stringify(body)), eventType: 'issues', key: `Chaos ${tag}`, acknowledged: false };
    }
    case 'shopify': {
      const body = { ...(sample('shopify.orders.create.json') as Record<string, unknown>), id: 700_000_000 + n, name: `#chaos-${tag}` };
      return { vendor, body: Buffer.from(JSON.stringify(body)), eventType: 'orders/create', key: `#chaos-${tag}`, acknowledged: false };
    }
    case 'slack': {
      const body = { ...(sample('slack.app_mention.json') as Record<string, unknown>), event_id: `Ev${tag}` };
      return { vendor, body: Buffer.from(JSON.stringify(body)), key: `Ev${tag}`, acknowledged: false };
    }
    default: {
      const body = { ...(sample('generic.order.paid.json') as Record<string, unknown>), id: `gen-${tag}` };
      return { vendor: 'generic', body: Buffer.from(JSON.stringify(body)), key: `gen-${tag}`, acknowledged: false };
    }
  }
}

const VENDORS = ['zendesk', 'stripe', 'hubspot', 'github', 'shopify', 'slack', 'generic'];

export async function runFaultHarness(options: HarnessOptions): Promise<HarnessReport> {
  const log = options.log ?? (() => undefined);
  const random = prng(options.seed);
  const started = Date.now();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aios-chaos-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The load is the example's (its vendors, tools and recordings): named by path, never os/, which a business replaces.
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    AIOS_OS_MODULE: EXAMPLE_OS_MODULE,
    AIOS_PORT: String(port),
    AIOS_DATA_DIR: dataDir,
    AIOS_PUBLIC_URL: url,
    AIOS_WEBHOOK_BASE_URL: url,
  };
  delete childEnv.AWS_ENDPOINT_URL;
  delete childEnv.AIOS_RECORDINGS_DIR;
  delete childEnv.AIOS_MODEL_PROVIDER;
  delete childEnv.AIOS_SMTP_URL;
  const report: HarnessReport = {
    seed: options.seed,
    kills: 0,
    durationSeconds: 0,
    deliveries: { sent: 0, acknowledged: 0, republished: 0, byVendor: {} },
    busEvents: { sent: 0, acknowledged: 0 },
    runs: 0,
    duplicateStarts: 0,
    approvals: { decided: 0, viaForm: 0, viaCli: 0, approved: 0, rejected: 0, cancelled: 0 },
    businessCalls: 0,
    hostile: { sent: 0, answered5xx: 0 },
    invariantChecks: 0,
    atMostOnceRefusals: [],
    violations: [],
  };
  const violation = (text: string) => {
    report.violations.push(text);
    log(`VIOLATION ${text}`);
  };
  const check = (ok: boolean, text: string) => {
    report.invariantChecks++;
    if (!ok) violation(text);
  };

  // The harness reads the runtime's tables and APIs through the same client factory as the CLI.
  const savedEnv = { ...process.env };
  Object.assign(process.env, { AWS_ENDPOINT_URL: url, AWS_REGION: process.env.AWS_REGION ?? 'us-east-1', AIOS_DATA_DIR: dataDir, AIOS_PORT: String(port) });
  const aws: AwsClients = createAwsClients({ endpoint: url }, {});

  let child: ChildProcess | undefined;
  let up = false;
  const start = async (): Promise<void> => {
    const proc = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'aios-server.ts')], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`the runtime did not start within 90 s: ${err.slice(-2000)}`)), 90_000);
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('READY')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.length > 20_000) err = err.slice(-10_000);
      });
      proc.on('exit', (code, signal) => {
        if (!out.includes('READY')) {
          clearTimeout(timer);
          reject(new Error(`the runtime exited (${code ?? signal}) before it was ready: ${err.slice(-2000)}`));
        }
      });
    });
    up = true;
  };
  const killGroup = async (): Promise<void> => {
    const proc = child!;
    up = false;
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      proc.kill('SIGKILL');
    }
    await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r(undefined) : proc.once('exit', r)));
  };

  const secret = (name: string) =>
    readFileSync(path.join(dataDir, 'secrets', name), 'utf8')
      .trim()
      .split('\n')[0];
  const vendors = webhookVendors([]);
  const deliveries: Delivery[] = [];
  const busEvents: { key: string; acknowledged: boolean }[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  /** Posts a delivery until it is acknowledged (2xx) or `until` passes: the vendor's retries. */
  const deliver = async (d: Delivery, until: () => number): Promise<void> => {
    const vendor = vendors.get(d.vendor)!;
    const target = `${url}/webhooks/${d.vendor}`;
    while (Date.now() < until()) {
      try {
        const headers = vendor.signer.sign({
          body: d.body,
          secret: secret(vendor.source.secretName),
          now: new Date(),
          url: target,
          method: 'POST',
          eventType: d.eventType,
        });
        const res = await fetchWithin(target, { method: 'POST', headers, body: d.body });
        if (res.ok) {
          d.acknowledged = true;
          return;
        }
        if (res.status < 500 && res.status !== 409 && res.status !== 421) {
          violation(`webhook ${d.vendor} ${d.key}: answered ${res.status} ${(await res.text()).slice(0, 200)}`);
          return;
        }
      } catch {
        // down: the vendor retries later
      }
      await sleep(500 + random() * 1500);
    }
  };

  const putBusEvent = async (n: number): Promise<void> => {
    const key = `bus-${options.seed}-${n}`;
    const entry = { key, acknowledged: false };
    busEvents.push(entry);
    const detail = { ...(sample('zendesk.ticket-created.json') as Record<string, unknown>), id: key };
    try {
      const out = await aws.eventBridge().send(
        new PutEventsCommand({
          Entries: [{ EventBusName: 'aios', Source: 'saas.zendesk', DetailType: 'zen:event-type:ticket.created', Detail: JSON.stringify(detail) }],
        }),
        { abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
      );
      entry.acknowledged = !out.FailedEntryCount;
    } catch {
      // not acknowledged: it may or may not have been accepted
    }
  };

  const linkKey = () => readFileSync(path.join(dataDir, 'secrets', 'approval-link-key'), 'utf8').trim();

  const cli: CliRun = (args, timeoutMs) =>
    new Promise((resolve) => {
      execFile(process.execPath, [path.join(ROOT, 'bin/aios.js'), ...args], { cwd: ROOT, env: childEnv, timeout: timeoutMs }, (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
    });

  const approvers = new ApprovalDecider({ url, linkKey, cli, random, store: () => new ApprovalStore(openTable('state')), log, violation });

  const hostile = async (): Promise<void> => {
    const attempts: (() => Promise<Response>)[] = [
      // 4,200 levels of nesting into StartExecution
      async () => {
        const list = await aws.sfn().send(new ListStateMachinesCommand({}), { abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const input = `${'['.repeat(4200)}1${']'.repeat(4200)}`;
        return fetchWithin(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.StartExecution' },
          body: JSON.stringify({ stateMachineArn: list.stateMachines![0].stateMachineArn, input }),
        });
      },
      // a DNS-rebinding page: another Host
      () => fetchWithin(`${url}/health`, { headers: { host: 'attacker.example' } }),
      // a forged signature
      () =>
        fetchWithin(`${url}/webhooks/stripe`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
          body: '{"id":"evt_forged","type":"charge.dispute.created"}',
        }),
      // a deeply nested, correctly signed webhook
      () => {
        const body = Buffer.from(`{"zen":${'['.repeat(3000)}1${']'.repeat(3000)},"hook_id":1}`);
        const target = `${url}/webhooks/github`;
        return fetchWithin(target, {
          method: 'POST',
          headers: vendors.get('github')!.signer.sign({ body, secret: secret('webhook-github'), now: new Date(), url: target, eventType: 'ping' }),
          body,
        });
      },
      // a 2 MB body
      () =>
        fetchWithin(`${url}/webhooks/shopify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `{"x":"${'a'.repeat(2 * 1024 * 1024)}"}`,
        }),
      // an acknowledged GitHub delivery re-sent with a new delivery id and a swapped event header
      () => {
        const earlier = deliveries.find((d) => d.vendor === 'github' && d.acknowledged) ?? makeDelivery('github', 0, options.seed);
        const target = `${url}/webhooks/github`;
        const headers = vendors
          .get('github')!
          .signer.sign({ body: earlier.body, secret: secret('webhook-github'), now: new Date(), url: target, eventType: random() < 0.5 ? 'issues' : 'push' });
        return fetchWithin(target, { method: 'POST', headers, body: earlier.body });
      },
    ];
    const attempt = attempts[Math.floor(random() * attempts.length)];
    report.hostile.sent++;
    try {
      const res = await attempt();
      const text = await res.text();
      if (res.status >= 500) {
        report.hostile.answered5xx++;
        violation(`hostile request answered ${res.status}: ${text.slice(0, 200)}`);
      }
      if (res.ok && /"emitted":[1-9]/.test(text)) violation(`a replayed GitHub delivery was emitted again: ${text}`);
    } catch {
      // down
    }
  };

  let n = 0;
  const traffic = async (untilMs: number): Promise<void> => {
    while (Date.now() < untilMs) {
      const r = random();
      n++;
      if (r < 0.62) {
        const d = makeDelivery(VENDORS[Math.floor(random() * VENDORS.length)], n, options.seed);
        deliveries.push(d);
        report.deliveries.sent++;
        report.deliveries.byVendor[d.vendor] = (report.deliveries.byVendor[d.vendor] ?? 0) + 1;
        // Vendors keep retrying for longer than the harness runs; here: until the drain ends.
        track(deliver(d, () => Number.POSITIVE_INFINITY));
      } else if (r < 0.8) {
        report.busEvents.sent++;
        track(putBusEvent(n));
      } else if (r < 0.93) {
        track(approvers.round(false, track));
      } else {
        track(hostile());
      }
      await sleep(120 + random() * 280);
    }
  };

  try {
    await start();
    log(`runtime up at ${url}, data ${dataDir}`);
    const endAt = options.minutes ? started + options.minutes * 60_000 : 0;
    while (report.kills < options.kills || Date.now() < endAt) {
      const window = 1500 + random() * 4500;
      await traffic(Date.now() + window);
      await killGroup();
      report.kills++;
      log(`kill ${report.kills} after ${Math.round(window)} ms of traffic (${report.deliveries.sent} deliveries, ${report.busEvents.sent} bus events so far)`);
      // Traffic keeps arriving while the runtime is down: retries pile up.
      await sleep(200 + random() * 800);
      await start();
    }
    // Drain: deliveries retried to acknowledgement (a claim of a killed attempt expires after its lease),
    // every approval decided, every run finished. A long run leaves a long backlog (every restart resumes what was
    // in flight) and a loaded machine works it off slowly: the drain goes on while anything moves, and ends when
    // all is done, when nothing moved for DRAIN_QUIET_MS, or at its cap.
    let drainEnd = Date.now() + (options.minutes ? 25 * 60_000 : 6 * 60_000);
    for (const d of deliveries) if (!d.acknowledged) track(deliver(d, () => drainEnd));
    let lastState = '';
    let lastMove = Date.now();
    while (Date.now() < drainEnd) {
      await approvers.round(true, track);
      const running = await runningExecutions(aws);
      const undelivered = deliveries.filter((d) => !d.acknowledged).length;
      let pending: number | string = 'unknown';
      try {
        pending = (await within(REQUEST_TIMEOUT_MS, new ApprovalStore(openTable('state')).list(), 'listing approvals')).filter(
          (a) => a.status === 'pending',
        ).length;
      } catch {
        // not readable now: the next round
      }
      const state = `${running} runs running, ${pending} approvals pending (${approvers.inFlight} attempts in flight), ${undelivered} deliveries unacknowledged`;
      if (state !== lastState) {
        log(`drain: ${state}`);
        lastState = state;
        lastMove = Date.now();
      }
      if (running === 0 && undelivered === 0 && approvers.inFlight === 0 && pending === 0) break;
      if (Date.now() - lastMove > DRAIN_QUIET_MS) {
        log(`drain: nothing moved for ${DRAIN_QUIET_MS / 1000} s; ending it`);
        break;
      }
      await sleep(1000);
    }
    drainEnd = 0;
    await Promise.allSettled([...inFlight]);
    log('drained; checking invariants');
    report.deliveries.acknowledged = deliveries.filter((d) => d.acknowledged).length;
    report.busEvents.acknowledged = busEvents.filter((e) => e.acknowledged).length;
    report.approvals.viaForm = approvers.attempts.viaForm;
    report.approvals.viaCli = approvers.attempts.viaCli;
    await checkInvariants({ aws, dataDir, deliveries, busEvents, report, check, violation, cli, log });
  } finally {
    if (child && up) await killGroup();
    report.durationSeconds = Math.round((Date.now() - started) / 1000);
    process.env = savedEnv;
  }
  return report;
}

async function runningExecutions(aws: AwsClients): Promise<number> {
  try {
    let count = 0;
    const within = () => ({ abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    for (const sm of (await aws.sfn().send(new ListStateMachinesCommand({}), within())).stateMachines ?? []) {
      let nextToken: string | undefined;
      do {
        const page = await aws.sfn().send(new ListExecutionsCommand({ stateMachineArn: sm.stateMachineArn, statusFilter: 'RUNNING', nextToken }), within());
        count += (page.executions ?? []).length;
        nextToken = page.nextToken;
      } while (nextToken);
    }
    return count;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

interface Run {
  arn: string;
  runId: string;
  workflow: string;
  status: string;
  key: string;
  error?: string;
  /** Set on an execution that ended as a duplicate of this run (its delivery was published twice). */
  duplicateOf?: string;
}

/** The id a run's triggering event carries (the one the harness put there). */
function keyOfInput(input: Record<string, unknown>): string {
  const detail = (input.detail ?? {}) as Record<string, unknown>;
  return String(detail.eventId ?? detail.id ?? '');
}

async function allRuns(aws: AwsClients): Promise<Run[]> {
  const runs: Run[] = [];
  for (const sm of (await aws.sfn().send(new ListStateMachinesCommand({}))).stateMachines ?? []) {
    let nextToken: string | undefined;
    do {
      const page = await aws.sfn().send(new ListExecutionsCommand({ stateMachineArn: sm.stateMachineArn, nextToken, maxResults: 100 }));
      for (const e of page.executions ?? []) {
        const d = await aws.sfn().send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
        const input = JSON.parse(d.input ?? '{}') as Record<string, unknown>;
        const output = (d.status === 'SUCCEEDED' ? JSON.parse(d.output ?? 'null') : null) as { duplicateOf?: unknown } | null;
        runs.push({
          arn: e.executionArn!,
          runId: e.executionArn!.slice(e.executionArn!.lastIndexOf(':') + 1),
          workflow: sm.name!,
          status: d.status!,
          key: keyOfInput(input),
          ...(d.error ? { error: `${d.error}: ${(d.cause ?? '').slice(0, 300)}` } : {}),
          ...(typeof output?.duplicateOf === 'string' ? { duplicateOf: output.duplicateOf } : {}),
        });
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return runs;
}

async function history(aws: AwsClients, arn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await aws.sfn().send(new GetExecutionHistoryCommand({ executionArn: arn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** Every event the local EventBridge archived from `source`, read from its database (the API lists at most 1,000). */
function publishedEvents(dataDir: string, source: string): string[] {
  const db = new Database(path.join(dataDir, 'eventbridge.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT json FROM events WHERE source = ?').all(source) as { json: string }[]).map((r) => r.json);
  } finally {
    db.close();
  }
}

/** The ids an archived event may carry the harness's key in (each vendor puts it elsewhere). */
function keysOfEvent(json: string): string[] {
  const detail = ((JSON.parse(json) as { detail?: Record<string, unknown> }).detail ?? {}) as Record<string, unknown>;
  const issue = (detail.issue ?? {}) as Record<string, unknown>;
  return [detail.id, detail.eventId, detail.event_id, detail.name, issue.title].filter((v) => v !== undefined && v !== null).map(String);
}

/** Emails the local SES outbox holds per run (email.send tags each with its run). */
function emailsByRun(dataDir: string): Map<string, number> {
  const counts = new Map<string, number>();
  const dir = path.join(dataDir, 'outbox');
  if (!existsSync(dir)) return counts;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.eml'))) {
    const tags = /^X-Aios-Email-Tags: (.*)$/m.exec(readFileSync(path.join(dir, name), 'utf8').split(/\r?\n\r?\n/)[0]);
    const runId = /(?:^|; )aios-run=([^;]+)/.exec(tags?.[1] ?? '')?.[1];
    if (runId) counts.set(runId, (counts.get(runId) ?? 0) + 1);
  }
  return counts;
}

/** Business paths per tool, as the example's tools call them. */
const TOOL_PATHS: Record<string, RegExp> = {
  'refunds.issue': /^\/refunds$/,
  'tickets.reply': /^\/tickets\/[^/]+\/replies$/,
  'crm.note': /^\/crm\/contacts\/[^/]+\/notes$/,
};

async function checkInvariants(ctx: {
  aws: AwsClients;
  dataDir: string;
  deliveries: Delivery[];
  busEvents: { key: string; acknowledged: boolean }[];
  report: HarnessReport;
  check: (ok: boolean, text: string) => void;
  violation: (text: string) => void;
  cli: CliRun;
  log: (line: string) => void;
}): Promise<void> {
  const { aws, dataDir, deliveries, busEvents, report, check, cli } = ctx;
  const executions = await allRuns(aws);
  const runs = executions.filter((r) => r.duplicateOf === undefined);
  const duplicates = executions.filter((r) => r.duplicateOf !== undefined);
  report.runs = runs.length;
  report.duplicateStarts = duplicates.length;
  const runsByKey = new Map<string, Run[]>();
  for (const r of runs) runsByKey.set(r.key, [...(runsByKey.get(r.key) ?? []), r]);
  // A duplicate start ended as a no-op naming the run of the same trigger, and says so in its audit trail.
  const audit = new AuditLog(openTable('audit'));
  for (const d of duplicates) {
    const holder = runs.find((r) => r.runId === d.duplicateOf);
    check(
      holder !== undefined && holder.key === d.key && holder.workflow === d.workflow,
      `execution ${d.runId} ended as a duplicate of ${d.duplicateOf}, which is not a run of the same delivery`,
    );
    const trail = await audit.records(d.runId);
    check(
      trail.length === 1 && trail[0].kind === 'run.duplicate' && trail[0].data.duplicateOf === d.duplicateOf,
      `duplicate execution ${d.runId}: its audit trail is ${trail.map((x) => x.kind).join(', ') || 'empty'}`,
    );
  }

  // 1. Deliveries → one bus event each, one run each when they trigger one; bus events → one run each.
  const bySource = new Map<string, string[]>();
  for (const d of deliveries.filter((x) => x.acknowledged)) {
    const source = `saas.${d.vendor}`;
    if (!bySource.has(source)) bySource.set(source, publishedEvents(dataDir, source));
    const matching = bySource.get(source)!.filter((e) => keysOfEvent(e).includes(d.key));
    // The bus is at least once (as EventBridge is): a process killed after the bus accepted an event and
    // before the ledger marked it done publishes it again on the retry. Never lost; every copy names its
    // delivery, so the run it starts is one run.
    check(matching.length >= 1, `delivery ${d.vendor} ${d.key} became no bus event`);
    const named = new Set(
      matching.map((e) => ((JSON.parse(e) as { resources?: string[] }).resources ?? []).find((r) => r.startsWith('aios:webhook-delivery:'))),
    );
    check(named.size === 1 && !named.has(undefined), `delivery ${d.vendor} ${d.key}: its bus events do not name one delivery`);
    report.deliveries.republished += matching.length - 1;
    if (d.workflow) check((runsByKey.get(d.key) ?? []).length === 1, `delivery ${d.vendor} ${d.key} became ${(runsByKey.get(d.key) ?? []).length} runs`);
  }
  for (const e of busEvents) {
    const count = (runsByKey.get(e.key) ?? []).length;
    if (e.acknowledged) check(count === 1, `bus event ${e.key} became ${count} runs`);
    else check(count <= 1, `unacknowledged bus event ${e.key} became ${count} runs`);
  }

  const calls = readBusinessCalls(dataDir);
  report.businessCalls = calls.length;
  const store = new ApprovalStore(openTable('state'));
  const approvals = await store.list();
  const trails = new Map<string, AuditRecord[]>();
  for (const r of runs) trails.set(r.runId, await audit.records(r.runId));

  // 4. No run stuck: every run finished, successfully — or failed as the at-most-once rule requires (its own column).
  const emails = emailsByRun(dataDir);
  const evidence: RefusalEvidence = {
    recordStatus: async (runId, toolUseId) => {
      const record = await openTable('state').get({ pk: `run#${runId}`, sk: `tool#${toolUseId}` });
      return record ? String(record.status) : undefined;
    },
    effects: (runId, tool) =>
      tool === 'email.send' ? (emails.get(runId) ?? 0) : calls.filter((c) => c.runId === runId && (TOOL_PATHS[tool]?.test(c.path) ?? true)).length,
  };
  for (const r of runs) {
    if (r.status === 'SUCCEEDED') {
      check(true, '');
      continue;
    }
    const verdict = await atMostOnceRefusal({ ...r, trail: trails.get(r.runId)! }, evidence);
    if (verdict.expected) {
      report.invariantChecks++;
      report.atMostOnceRefusals.push(verdict.text);
      ctx.log(`at-most-once refusal (expected, reported apart): ${verdict.text}`);
      continue;
    }
    const notExpected = r.error?.startsWith('Tool.NotCarriedOut') ? `; not the expected at-most-once refusal: ${verdict.why}` : '';
    check(false, `run ${r.runId} (${r.workflow}) is ${r.status}${r.error ? ` (${r.error})` : ''}${notExpected}`);
  }

  // 2. Tool calls: what ran reached the business once; what was denied or not approved never.
  for (const r of runs) {
    const trail = trails.get(r.runId)!;
    for (const [tool, pattern] of Object.entries(TOOL_PATHS)) {
      const ran = new Set(
        trail.filter((x) => x.kind === 'tool.ran' && x.data.tool === tool && x.data.status === 'ok').map((x) => String(x.data.toolUseId ?? x.seq)),
      );
      const reached = calls.filter((c) => c.runId === r.runId && pattern.test(c.path));
      check(reached.length === ran.size, `run ${r.runId}: ${tool} ran ${ran.size} times by the audit trail but reached the business ${reached.length} times`);
      const denied = trail
        .filter((x) => x.kind === 'rights.evaluated' && x.data.tool === tool && x.data.decision === 'deny')
        .map((x) => String(x.data.toolUseId));
      for (const id of denied) check(!ran.has(id), `run ${r.runId}: denied ${tool} ${id} ran`);
    }
    for (const a of approvals.filter((x) => x.runId === r.runId && x.call)) {
      const ranIt = trail.some((x) => x.kind === 'tool.ran' && x.data.toolUseId === a.call!.toolUseId && x.data.status === 'ok');
      if (a.status !== 'approved') check(!ranIt, `run ${r.runId}: ${a.call!.name} ran though its approval is ${a.status}`);
    }
  }

  // 3. Decided approvals resumed their run exactly once; each decision audited once.
  for (const a of approvals) {
    if (a.status === 'approved') report.approvals.approved++;
    if (a.status === 'rejected') report.approvals.rejected++;
    if (a.status === 'cancelled') report.approvals.cancelled++;
    if (a.status === 'pending') {
      check(
        false,
        `approval ${a.id} is still pending after the drain (decisions: ${JSON.stringify(await store.decisions(a.id))}, notes: ${JSON.stringify((await store.todos()).filter((t) => t.approvalId === a.id))})`,
      );
      continue;
    }
    report.approvals.decided++;
    const run = runs.find((r) => r.runId === a.runId);
    if (!run) {
      check(false, `approval ${a.id} names run ${a.runId}, which does not exist`);
      continue;
    }
    const resumes = (await history(aws, run.arn)).filter((e) => e.type === 'TaskSucceeded' && (e.taskSucceededEventDetails?.output ?? '').includes(a.id));
    check(resumes.length === (a.status === 'cancelled' ? 0 : 1), `approval ${a.id} (${a.status}) resumed its run ${resumes.length} times`);
    const decided = trails.get(a.runId)!.filter((x) => x.kind === 'approval.decided' && x.data.approvalId === a.id);
    const people = decided.map((x) => `${x.data.by}`);
    check(new Set(people).size === people.length, `approval ${a.id}: a decision audited more than once (${people.join(', ')})`);
    const stored = await store.decisions(a.id);
    check(decided.length === stored.length, `approval ${a.id}: ${stored.length} decisions, ${decided.length} audit records`);
    check(a.resume === undefined || a.resume === 'done', `approval ${a.id}: resume still ${a.resume}`);
  }

  // 5. `aios audit verify` passes and lists every run.
  const verify = await cli(['audit', 'verify'], 300_000);
  check(
    verify.status === 0,
    `aios audit verify exited ${verify.status}: ${(verify.stdout + verify.stderr)
      .split('\n')
      .filter((l) => !l.startsWith('ok '))
      .join('\n')
      .slice(0, 1500)}`,
  );
  for (const r of executions) check(verify.stdout.includes(r.runId), `aios audit verify does not list run ${r.runId}`);
}
