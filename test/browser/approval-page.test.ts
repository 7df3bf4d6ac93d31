/**
 * The approval page as a person sees it, in headless Chromium (Debian's,
 * installed by .ci/run): the link from the email shows the request with
 * nothing preselected; the person writes a comment and presses Approve; the
 * run goes on and the refund is issued once. A screenshot is kept under the
 * data folder for looking at.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { chromium, type Browser } from 'playwright-core';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { createAwsClients } from '../../shared/aws/clients';
import { ticketEvent, writeRefundRecording } from '../support/refund-recordings';

jest.setTimeout(90_000);

const CHROMIUM = process.env.AIOS_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
// CI installs Chromium, so there its absence is a failure; on a laptop without it the test says why it is skipped.
if (!available && process.env.CI) throw new Error(`Chromium is not at ${CHROMIUM}; .ci/run installs Debian's chromium`);
const maybe = available ? describe : describe.skip;
if (!available) process.stderr.write(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set AIOS_CHROMIUM)\n`);

const root = path.join(__dirname, '../..');
const savedEnv = { ...process.env };

maybe('the approval page in a browser', () => {
  let rt: AiosRuntime;
  let browser: Browser;

  beforeAll(async () => {
    const recordings = mkdtempSync(path.join(tmpdir(), 'aios-rec-'));
    writeRefundRecording(recordings, 'KC-40120', 120);
    process.env.AIOS_RECORDINGS_DIR = recordings;
    process.env.AIOS_OS_MODULE = path.join(root, 'test/fixtures/definitions/short-deadlines-os.ts');
    delete process.env.AIOS_SMTP_URL;
    rt = await startAiosRuntime({ port: 0, dataDir: mkdtempSync(path.join(tmpdir(), 'aios-browser-')), schedules: false });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // Chromium looks up Google hosts even with background networking off: nothing but loopback.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await rt?.close();
    process.env = savedEnv;
  });

  test('open the emailed link, approve with a comment, and the refund is issued once', async () => {
    const aws = createAwsClients({ endpoint: rt.url }, {});
    await aws.eventBridge().send(new PutEventsCommand({ Entries: [ticketEvent('KC-40120', '6120')] }));

    // The email the support lead gets, from the local SES outbox.
    const outbox = path.join(rt.dataDir, 'outbox');
    let eml = '';
    for (let i = 0; i < 200 && !eml; i++) {
      const files = existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')) : [];
      const mine = files.map((f) => readFileSync(path.join(outbox, f), 'utf8')).find((m) => m.includes('sam@kestrel.coffee'));
      if (mine) eml = mine;
      else await new Promise((r) => setTimeout(r, 50));
    }
    const link = /http:\/\/127\.0\.0\.1:\d+\/approvals\/[^\s"<>]+/.exec(eml.replace(/=\r?\n/g, '').replace(/=3D/g, '='))?.[0];
    expect(link).toBeDefined();

    const page = await browser.newPage();
    await page.goto(link!);
    await expect(page.getByRole('button', { name: 'Approve' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Reject' }).isVisible()).resolves.toBe(true);
    expect(await page.content()).toContain('KC-40120');
    expect(await page.textContent('body')).toContain('The customer should get $120 back for KC-40120');
    expect(await page.locator('input[type=radio]:checked, input[type=checkbox]:checked').count()).toBe(0);
    await page.screenshot({ path: path.join(rt.dataDir, 'approval-page.png'), fullPage: true });

    await page.fill('textarea[name=comment]', 'Photos look right <b>ok</b>');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForLoadState();
    expect(await page.textContent('body')).toMatch(/approved/i);

    const arn = rt.installed.stateMachines['support-desk'];
    let status = 'RUNNING';
    for (let i = 0; i < 200 && status === 'RUNNING'; i++) {
      const [run] = (await aws.sfn().send(new ListExecutionsCommand({ stateMachineArn: arn }))).executions ?? [];
      status = (await aws.sfn().send(new DescribeExecutionCommand({ executionArn: run.executionArn }))).status!;
      if (status === 'RUNNING') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('SUCCEEDED');
    const calls = ((await (await fetch(`${rt.url}/business/calls`)).json()) as { calls: { path: string; body: { orderId: string } }[] }).calls;
    expect(calls.filter((c) => c.path === '/refunds' && c.body.orderId === 'KC-40120')).toHaveLength(1);
  });
});
