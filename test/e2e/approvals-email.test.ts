/**
 * Issue 6's end-to-end proof on the local runtime with a real SMTP round
 * trip: decision rights decide each refund; approvals go out by email through
 * SES v2 → SMTP; a mail scanner fetching every link decides nothing; the
 * approver decides on the page; the run finishes with the refund issued
 * exactly once — or not at all.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { ApprovalStore } from '../../shared/approvals/approval-store';
import { auditSk } from '../../shared/audit';
import { createAwsClients, type AwsClients } from '../../shared/aws/clients';
import { stateTable } from '../../shared/composition/tables';
import { ticketEvent, writeRefundRecording } from '../support/refund-recordings';

jest.setTimeout(120_000);

const root = path.join(__dirname, '../..');
const inbox: ParsedMail[] = [];
let smtp: SMTPServer;
let rt: AiosRuntime;
let aws: AwsClients;
const savedEnv = { ...process.env };
const seen = new Set<string>();

const ORDERS = {
  approve: ['KC-30120', 120],
  reject: ['KC-30121', 120],
  escalate: ['KC-30800', 800],
  allow: ['KC-30030', 30],
  deny: ['KC-32500', 2500],
} as const;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      simpleParser(stream).then(
        (mail) => {
          inbox.push(mail);
          done();
        },
        (error: Error) => done(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const recordings = mkdtempSync(path.join(tmpdir(), 'aios-rec-'));
  for (const [orderId, amount] of Object.values(ORDERS)) writeRefundRecording(recordings, orderId, amount);
  process.env.AIOS_SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
  process.env.AIOS_RECORDINGS_DIR = recordings;
  process.env.AIOS_OS_MODULE = path.join(root, 'test/fixtures/definitions/short-deadlines-os.ts');
  rt = await startAiosRuntime({ port: 0, dataDir: mkdtempSync(path.join(tmpdir(), 'aios-approvals-')), schedules: false });
  aws = createAwsClients({ endpoint: rt.url }, {});
});

afterAll(async () => {
  await rt?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  process.env = savedEnv;
});

async function startTicket(orderId: string, ticketId: string): Promise<string> {
  await aws.eventBridge().send(new PutEventsCommand({ Entries: [ticketEvent(orderId, ticketId)] }));
  const arn = rt.installed.stateMachines['support-desk'];
  for (let i = 0; i < 200; i++) {
    const list = await aws.sfn().send(new ListExecutionsCommand({ stateMachineArn: arn }));
    const fresh = (list.executions ?? []).find((e) => !seen.has(e.executionArn!));
    if (fresh) {
      seen.add(fresh.executionArn!);
      return fresh.executionArn!;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no execution started');
}

async function status(executionArn: string) {
  return aws.sfn().send(new DescribeExecutionCommand({ executionArn }));
}

async function finished(executionArn: string) {
  for (let i = 0; i < 600; i++) {
    const d = await status(executionArn);
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the run did not finish');
}

async function mailTo(address: string, after: number): Promise<ParsedMail> {
  for (let i = 0; i < 300; i++) {
    const mail = inbox.slice(after).find((m) => m.to && JSON.stringify(m.to).includes(address));
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail to ${address}`);
}

function linksIn(mail: ParsedMail): string[] {
  const text = [...(mail.text ?? '').matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]);
  const html = [...String(mail.html || '').matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  return [...new Set([...text, ...html])];
}

function approverLink(mail: ParsedMail): string {
  const link = linksIn(mail).find((l) => l.includes('/approvals/'));
  if (!link) throw new Error(`no approval link in: ${mail.text}`);
  return link;
}

/** The page's form fields, as a browser would send them. */
async function openForm(link: string): Promise<Record<string, string>> {
  const page = await (await fetch(link)).text();
  const fields = Object.fromEntries(
    [...page.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [
      m[1],
      m[2]
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'"),
    ]),
  );
  expect(Object.keys(fields).sort()).toEqual(['a', 'e', 's', 't']);
  return fields;
}

async function submit(link: string, fields: Record<string, string>, decision: 'approve' | 'reject', comment = ''): Promise<string> {
  const res = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, comment, decision }).toString(),
  });
  return res.text();
}

/** Opens the page like a person and presses a button. */
async function decide(link: string, decision: 'approve' | 'reject', comment = ''): Promise<string> {
  return submit(link, await openForm(link), decision, comment);
}

async function refundsFor(orderId: string): Promise<unknown[]> {
  const calls = ((await (await fetch(`${rt.url}/business/calls`)).json()) as { calls: { path: string; body: { orderId: string } }[] }).calls;
  return calls.filter((c) => c.path === '/refunds' && c.body.orderId === orderId);
}

const pending = async () => (await new ApprovalStore(stateTable(rt.environment)).list()).filter((a) => a.status === 'pending');

test('$120: the support lead is emailed; a scanner opening every link decides nothing; approving issues the refund exactly once', async () => {
  const [orderId] = ORDERS.approve;
  const before = inbox.length;
  const run = await startTicket(orderId, '5120');
  const mail = await mailTo('sam@kestrel.coffee', before);
  expect(mail.subject).toMatch(/refund/i);
  expect(mail.subject).toMatch(/triage/i);
  // who asks and why: the agent's own words before its call
  expect(mail.subject).toMatch(/because: The customer should get/);
  expect(mail.text).toContain(orderId);
  expect(mail.text).toContain('The customer should get $120 back for KC-30120');
  expect(mail.text).toContain('"amount": 120');
  expect(mail.html).toBeTruthy();

  // A mail scanner fetches every link, with GET and HEAD: nothing is decided.
  for (const link of linksIn(mail)) {
    await fetch(link);
    await fetch(link, { method: 'HEAD' });
  }
  expect((await pending()).map((a) => a.call?.input)).toEqual([expect.objectContaining({ orderId, amount: 120 })]);
  expect((await status(run)).status).toBe('RUNNING');
  expect(await refundsFor(orderId)).toHaveLength(0);

  const form = await openForm(approverLink(mail));
  const page = await submit(approverLink(mail), form, 'approve', 'photos checked <script>alert(1)</script>');
  expect(page).not.toContain('<script>alert(1)</script>');
  const done = await finished(run);
  expect(done.status).toBe('SUCCEEDED');
  expect(JSON.parse(done.output!).triage).toMatchObject({ refundUsd: 120 });
  expect(await refundsFor(orderId)).toHaveLength(1);

  // A later click sees the recorded outcome and changes nothing.
  expect(await (await fetch(approverLink(mail))).text()).toMatch(/approved/i);
  const again = await submit(approverLink(mail), form, 'reject');
  expect(again).toMatch(/already|decided|approved/i);
  expect(await refundsFor(orderId)).toHaveLength(1);

  // The audit trail of the run verifies; an edited record is detected.
  const runId = run.split(':').pop()!;
  // Asynchronously: the runtime lives in this process and must keep answering the CLI.
  const cli = (args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(root, 'bin/aios.js'), ...args],
        { cwd: root, env: { ...savedEnv, AIOS_PORT: String(rt.port), AIOS_DATA_DIR: rt.dataDir }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
    });
  const ok = await cli(['audit', 'verify', runId]);
  expect(ok.status).toBe(0);
  const shown = await cli(['audit', 'show', runId]);
  expect(shown.status).toBe(0);
  expect(shown.stdout.trim().split('\n').at(-1)).toMatch(new RegExp(`^ok {5}${runId}: \\d+ records, chain intact$`));
  await aws.dynamoDb().send(
    new UpdateItemCommand({
      TableName: 'aios-audit',
      Key: { pk: { S: `audit#${runId}` }, sk: { S: auditSk(2) } },
      UpdateExpression: 'SET #at = :at',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':at': { S: '2020-01-01T00:00:00.000Z' } },
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
  const broken = await cli(['audit', 'verify', runId]);
  expect(broken.status).toBe(1);
  expect(broken.stdout + broken.stderr).toMatch(/ChainBroken|broken|tamper/i);
  // Reading the trail says so too: the edited record is marked where it is read, the verdict follows, and it exits 1.
  const read = await cli(['audit', 'show', runId]);
  expect(read.status).toBe(1);
  expect(read.stdout).toMatch(/^! {2}2 {2}2020-01-01T00:00:00\.000Z {2}/m);
  expect(read.stdout).not.toMatch(/^! {2}1 /m);
  expect(read.stdout).toContain(`BROKEN ${runId}:`);
  expect(read.stderr).toContain('Audit.ChainBroken');
});

test('$120 rejected: no refund; the agent is told it did not run', async () => {
  const [orderId] = ORDERS.reject;
  const before = inbox.length;
  const run = await startTicket(orderId, '5121');
  const mail = await mailTo('sam@kestrel.coffee', before);
  await decide(approverLink(mail), 'reject', 'not eligible');
  const done = await finished(run);
  expect(done.status).toBe('SUCCEEDED');
  expect(JSON.parse(done.output!).triage).toMatchObject({ refundUsd: null, needsHuman: true });
  expect(await refundsFor(orderId)).toHaveLength(0);
});

test('$800: finance is asked, the deadline passes, the owner is asked and approves; the old link says escalated', async () => {
  const [orderId] = ORDERS.escalate;
  const before = inbox.length;
  const run = await startTicket(orderId, '5800');
  const financeMail = await mailTo('priya@kestrel.coffee', before);
  const ownerMail = await mailTo('maya@kestrel.coffee', before);
  expect(ownerMail.text).toContain(orderId);
  const stale = await (await fetch(approverLink(financeMail))).text();
  expect(stale).toMatch(/escalated/i);
  await decide(approverLink(ownerMail), 'approve');
  const done = await finished(run);
  expect(done.status).toBe('SUCCEEDED');
  expect(await refundsFor(orderId)).toHaveLength(1);
});

test('$30: allowed by a written right, no email', async () => {
  const [orderId] = ORDERS.allow;
  const before = inbox.length;
  const run = await startTicket(orderId, '5030');
  expect((await finished(run)).status).toBe('SUCCEEDED');
  expect(await refundsFor(orderId)).toHaveLength(1);
  expect(inbox.length).toBe(before);
});

test('$2,500: forbidden, denied without email, never run', async () => {
  const [orderId] = ORDERS.deny;
  const before = inbox.length;
  const run = await startTicket(orderId, '5250');
  const done = await finished(run);
  expect(done.status).toBe('SUCCEEDED');
  expect(JSON.parse(done.output!).triage).toMatchObject({ refundUsd: null });
  expect(await refundsFor(orderId)).toHaveLength(0);
  expect(inbox.length).toBe(before);
});
