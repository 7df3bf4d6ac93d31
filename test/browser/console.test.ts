/**
 * The console as people use it, in headless Chromium against the local
 * runtime (the example definition and its recorded conversations):
 * - Sam (support lead, not admin) signs in from the outbox email, finds the
 *   Stripe dispute refund on his home page, approves it in the console, and
 *   the refund is issued once; someone else's run is 403 for him.
 * - Maya (admin) pauses support-desk: its sample on the bus starts no run;
 *   resumed, it does. She stops a run waiting for approval, and suspends
 *   triage: its next run calls neither the model nor the business system.
 * - Maya opens the outcomes: each workflow's numbers are those computed here
 *   from the runs, approvals and usage ledger; the rights page's explain form
 *   and the audit page's verify print what the `aios` process prints; she
 *   retires a remembered item and knowledge.search stops finding it; the
 *   workflow picture has no run highlighted. Sam gets 403 on these pages.
 * Sam's run page shows the agent's conversation, each tool call with the
 * rule the audit trail recorded for it.
 * Screenshots of home, a run, a conversation, an approval, the outcomes, the rights and a workflow at 1280 and 420 px wide go to
 * the data folder, or to docs/screenshots with UPDATE_SCREENSHOTS=1.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { ApprovalStore } from '../../shared/approvals/approval-store';
import { createAwsClients } from '../../shared/aws/clients';
import exampleOs from '../../examples/kestrel-coffee';
import { awsCostOfRun } from '../../shared/cost/run-cost';
import { loadValidOs } from '../../shared/definition';
import { knowledgeStore } from '../../shared/composition/knowledge';
import { rememberKnowledge, searchKnowledge } from '../../shared/knowledge';
import { queryAll } from '../../shared/storage/table';
import { auditLog, stateTable } from '../../shared/composition/tables';
import { archivedEvents } from '../support/event-archive';

jest.setTimeout(180_000);

const CHROMIUM = process.env.AIOS_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`Chromium is not at ${CHROMIUM}; .ci/run installs Debian's chromium`);
const maybe = available ? describe : describe.skip;

const root = path.join(__dirname, '../..');
const NS = 'support';
const savedEnv = { ...process.env };

function busEntry(sample: string): PutEventsRequestEntry {
  const e = JSON.parse(readFileSync(path.join(root, 'events/samples/bus', sample), 'utf8')) as { source: string; 'detail-type': string; detail: unknown };
  return { EventBusName: 'aios', Source: e.source, DetailType: e['detail-type'], Detail: JSON.stringify(e.detail) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

maybe('the console in a browser', () => {
  let rt: AiosRuntime;
  let browser: Browser;
  let shots: string;
  const aws = () => createAwsClients({ endpoint: rt.url }, {});

  const runsOf = async (workflowId: string) =>
    (
      await aws()
        .sfn()
        .send(new ListExecutionsCommand({ stateMachineArn: rt.installed.stateMachines[workflowId] }))
    ).executions ?? [];
  const statusOf = async (arn: string) =>
    await aws()
      .sfn()
      .send(new DescribeExecutionCommand({ executionArn: arn }));
  const businessCalls = async () =>
    ((await (await fetch(`${rt.url}/business/calls`)).json()) as { calls: { path: string; body: { orderId?: string } }[] }).calls;

  /** Runs `aios <args>` as its own process against this runtime; throws on a non-zero exit. */
  const aiosCli = (args: string[]) =>
    promisify(execFile)(process.execPath, [path.join(root, 'bin/aios.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, AIOS_PORT: String(new URL(rt.url).port), AIOS_DATA_DIR: rt.dataDir },
    });

  /** Signs `email` in through the pages and the outbox, in a new browser context. */
  async function signIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${rt.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    const outbox = path.join(rt.dataDir, 'outbox');
    const before = new Set(existsSync(outbox) ? readdirSync(outbox) : []);
    await page.fill('input[name=email]', email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect(page.textContent('body')).resolves.toContain('a sign-in link is on its way');
    const eml = await until('the sign-in email', async () =>
      readdirSync(outbox)
        .filter((f) => !before.has(f))
        .map((f) => readFileSync(path.join(outbox, f), 'utf8'))
        .find((m) => m.includes(email) && m.includes('Sign in to the')),
    );
    const link = /http:\/\/127\.0\.0\.1:\d+\/console\/sign-in\/[A-Za-z0-9_-]{43}/.exec(eml.replace(/=\r?\n/g, '').replace(/=3D/g, '='))![0];
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${rt.url}/console`);
    return { context, page };
  }

  async function shoot(page: Page, name: string): Promise<void> {
    for (const width of [1280, 420]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: path.join(shots, `console-${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  async function accessible(page: Page): Promise<void> {
    const result = await new AxeBuilder({ page }).analyze();
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  }

  beforeAll(async () => {
    delete process.env.AIOS_RECORDINGS_DIR;
    delete process.env.AIOS_SMTP_URL;
    rt = await startAiosRuntime({ port: 0, dataDir: mkdtempSync(path.join(tmpdir(), 'aios-console-')), schedules: false });
    shots = process.env.UPDATE_SCREENSHOTS ? path.join(root, 'docs/screenshots') : rt.dataDir;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await rt?.close();
    process.env = savedEnv;
  });

  test('an approver signs in, decides the dispute refund in the console, and sees only their runs', async () => {
    await aws()
      .eventBridge()
      .send(new PutEventsCommand({ Entries: [busEntry('stripe.charge.dispute.created.json')] }));
    const store = new ApprovalStore(stateTable(rt.environment));
    const approval = await until('the refund approval', async () =>
      (await store.list()).find((a) => a.status === 'pending' && a.call?.name === 'refunds.issue'),
    );

    const { context, page } = await signIn('sam@kestrel.coffee');
    const home = await page.textContent('body');
    expect(home).toContain('What needs you, Sam');
    expect(home).toContain('Refund $64.00 on order KC-10482');
    await accessible(page);

    await page.getByRole('link', { name: 'Refund $64.00 on order KC-10482' }).click();
    expect(await page.textContent('.action')).toBe('Refund $64.00 on order KC-10482');
    expect(await page.textContent('body')).toContain('medium-refunds');
    await shoot(page, 'approval');
    await accessible(page);
    await page.fill('textarea[name=comment]', 'Never arrived: refund it.');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForLoadState();
    expect(await page.textContent('body')).toMatch(/Sam Ortiz\s+approved .* \(in the console\): “Never arrived: refund it.”/);

    const arn = (await runsOf('support-desk')).find((r) => r.name === approval.runId)!.executionArn!;
    await until('the run to finish', async () => (await statusOf(arn)).status !== 'RUNNING');
    expect((await statusOf(arn)).status).toBe('SUCCEEDED');
    expect((await businessCalls()).filter((c) => c.path === '/refunds' && c.body.orderId === 'KC-10482')).toHaveLength(1);

    // His run is his to read; a run with no approval for him is not.
    const mine = await page.goto(`${rt.url}/console/runs/${approval.runId}`);
    expect(mine!.status()).toBe(200);
    // The run as a picture: the highlighted states are exactly the states its history entered; each links to the timeline.
    const events =
      (
        await aws()
          .sfn()
          .send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000 }))
      ).events ?? [];
    const entered = new Set(
      events.flatMap((e) => (e.type?.endsWith('StateEntered') && e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : [])),
    );
    const highlighted = await page.locator('.graph .taken[data-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')!));
    expect(new Set(highlighted)).toEqual(entered);
    expect(await page.locator('.graph .node:not(.taken)').count()).toBeGreaterThan(0);
    expect(await page.locator('.graph .failed, .graph .current').count()).toBe(0);
    const href = await page.locator('.graph .node.taken a').first().getAttribute('href');
    expect(await page.locator(`li${href}`).count()).toBe(1);
    for (const width of [1280, 420]) {
      await page.setViewportSize({ width, height: 900 });
      // On the phone the picture keeps its size in a frame that scrolls; its hint's link brings the start into view.
      if (width === 420) await page.getByRole('link', { name: 'go to where runs start' }).click();
      await page
        .locator('.graph')
        .first()
        .screenshot({ path: path.join(shots, `console-graph-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    // The agent's conversation: each tool call shows the rule the audit trail recorded for it, and the refund who approved it.
    const rights = (await auditLog(rt.environment).records(approval.runId)).filter((r) => r.kind === 'rights.evaluated');
    const shown = await page
      .locator('.conversation [data-tool-use]')
      .evaluateAll((els) =>
        els.map((e) => ({ id: e.getAttribute('data-tool-use'), rule: e.querySelector('.rule')?.textContent ?? null, text: e.textContent ?? '' })),
      );
    expect(shown.length).toBeGreaterThanOrEqual(2);
    for (const call of shown) {
      const record = rights.find((r) => r.data.toolUseId === call.id);
      expect(record).toBeDefined();
      expect(call.rule).toBe(record!.data.ruleId ?? 'no rule (default)');
    }
    expect(shown.find((c) => c.id === approval.call!.toolUseId)!.text).toContain('approved by Sam Ortiz (console)');
    expect(await page.locator('.conversation').first().textContent()).toContain('Final answer');
    for (const width of [1280, 420]) {
      await page.setViewportSize({ width, height: 900 });
      await page
        .locator('.conversation')
        .first()
        .screenshot({ path: path.join(shots, `console-conversation-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    const other = await aws()
      .sfn()
      .send(
        new StartExecutionCommand({
          stateMachineArn: rt.installed.stateMachines['weekly-review'],
          input: JSON.stringify({ source: 'aios.scheduler', 'detail-type': 'Scheduled Event', detail: {} }),
        }),
      );
    const name = other.executionArn!.split(':').pop()!;
    const refused = await page.goto(`${rt.url}/console/runs/${name}`);
    expect(refused!.status()).toBe(403);
    await context.close();
  });

  test('the admin pauses and resumes a workflow, stops a waiting run, and suspends an agent', async () => {
    const { context, page } = await signIn('maya@kestrel.coffee');
    const row = (id: string) => page.locator('tr', { has: page.locator('strong', { hasText: new RegExp(`^${id}$`) }) });

    // Pause support-desk: its sample on the bus starts no run.
    await row('support-desk').getByRole('button', { name: 'Pause' }).click();
    await expect(row('support-desk').textContent()).resolves.toContain('paused by Maya Chen');
    const before = (await runsOf('support-desk')).length;
    const put = await aws()
      .eventBridge()
      .send(new PutEventsCommand({ Entries: [busEntry('stripe.charge.dispute.created.json')] }));
    // The bus routes an event when it accepts it; once it has finished its deliveries, a run it started has started.
    await rt.whenEventsDelivered();
    const archived = (await archivedEvents(rt.url, 'saas.stripe')).find((e) => e.EventId === put.Entries![0].EventId);
    expect(archived?.Deliveries).toEqual([]);
    expect((await runsOf('support-desk')).length).toBe(before);
    // The pause survives in the store the runtime reads at start; resume, and the sample starts one run.
    await row('support-desk').getByRole('button', { name: 'Resume' }).click();
    await aws()
      .eventBridge()
      .send(new PutEventsCommand({ Entries: [busEntry('stripe.charge.dispute.created.json')] }));
    const waiting = await until('one new run', async () => {
      const runs = await runsOf('support-desk');
      return runs.length === before + 1 && runs[0];
    });

    // It waits for Sam's approval; Maya stops it from its page.
    const store = new ApprovalStore(stateTable(rt.environment));
    await until('its approval', async () => (await store.list()).find((a) => a.runId === waiting.name && a.status === 'pending'));
    await page.goto(`${rt.url}/console/runs/${waiting.name}`);
    // A running run's page reloads itself every 5 s unless a field has focus; on a busy machine the
    // screenshots and axe take longer than that, so hold it still the way a person typing would.
    await page.focus('input[name=why]');
    await shoot(page, 'run');
    await accessible(page);
    await page.fill('input[name=why]', 'duplicate of the first dispute');
    await page.getByRole('button', { name: 'Stop this run' }).click();
    await page.waitForLoadState();
    expect((await statusOf(waiting.executionArn!)).status).toBe('ABORTED');
    expect((await store.list()).find((a) => a.runId === waiting.name)!.status).toBe('rejected');
    const refundsBefore = (await businessCalls()).length;

    // Suspend triage: the next ticket's run neither calls the model nor the business system.
    await page.goto(`${rt.url}/console`);
    await row('triage').getByRole('button', { name: 'Suspend' }).click();
    await expect(row('triage').textContent()).resolves.toContain('suspended by Maya Chen');
    const count = (await runsOf('support-desk')).length;
    await aws()
      .eventBridge()
      .send(new PutEventsCommand({ Entries: [busEntry('zendesk.ticket-created.json')] }));
    const suspendedRun = await until('the ticket run', async () => {
      const runs = await runsOf('support-desk');
      return runs.length === count + 1 && runs[0].status !== 'RUNNING' && runs[0];
    });
    const described = await statusOf(suspendedRun.executionArn!);
    expect(described.status).toBe('FAILED');
    expect(`${described.error} ${described.cause}`).toContain('suspended by Maya Chen');
    expect((await businessCalls()).length).toBe(refundsBefore);
    await page.goto(`${rt.url}/console/runs/${suspendedRun.name}`);
    expect(await page.textContent('body')).not.toContain('Model calls</h2><table>');

    await page.goto(`${rt.url}/console`);
    await row('triage').getByRole('button', { name: 'Resume' }).click();
    await shoot(page, 'home');
    await accessible(page);
    await page.goto(`${rt.url}/console/runs`);
    await shoot(page, 'runs');
    await context.close();
  });

  test('outcomes show the numbers computed here; rights explain and audit verify match the CLI; a retired memory leaves knowledge.search; non-admins get 403', async () => {
    const store = new ApprovalStore(stateTable(rt.environment));
    const state = stateTable(rt.environment);
    const audit = auditLog(rt.environment);
    const awsPrice = awsCostOfRun(loadValidOs(exampleOs));
    /**
     * Per workflow: runs, ended, succeeded, automated (ended, nobody asked), decisions asked, model spend from the
     * usage ledger, and AWS spend: `aios cost`'s model at each run's think steps and rights checks.
     */
    const expected = async () => {
      const approvals = await store.list();
      const out: Record<string, { runs: number; ended: number; succeeded: number; automated: number; asked: number; spend: number; aws: number }> = {};
      for (const workflowId of Object.keys(rt.installed.stateMachines)) {
        const runs = await runsOf(workflowId);
        const n = { runs: runs.length, ended: 0, succeeded: 0, automated: 0, asked: 0, spend: 0, aws: 0 };
        for (const r of runs) {
          const mine = approvals.filter((a) => a.runId === r.name);
          n.asked += mine.length;
          if (r.status !== 'RUNNING') {
            n.ended += 1;
            if (r.status === 'SUCCEEDED') n.succeeded += 1;
            if (!mine.length) n.automated += 1;
          }
          n.spend += (await queryAll(state, `run#${r.name}`, { skPrefix: 'usage#' })).reduce((s, i) => s + (Number(i.costUsd) || 0), 0);
          const trail = await audit.records(r.name!);
          n.aws += awsPrice(workflowId, {
            thinks: trail.filter((a) => a.kind === 'model.called').length,
            toolCalls: trail.filter((a) => a.kind === 'rights.evaluated').length,
          });
        }
        out[workflowId] = n;
      }
      return out;
    };
    const { context, page } = await signIn('maya@kestrel.coffee');
    const before = await expected();
    await page.goto(`${rt.url}/console/outcomes`);
    const after = await expected();
    expect(after).toEqual(before);
    expect(Object.values(after).reduce((s, n) => s + n.runs, 0)).toBeGreaterThanOrEqual(4);
    for (const [workflowId, n] of Object.entries(after)) {
      const cell = (metric: string) => page.locator(`[data-workflow="${workflowId}"] td[data-window="7"][data-metric="${metric}"]`).textContent();
      expect(await cell('Runs')).toBe(String(n.runs));
      expect(await cell('Decisions asked of people')).toBe(String(n.asked));
      if (n.ended) {
        expect(await cell('Success rate')).toContain(`${n.succeeded} of ${n.ended}`);
        expect(await cell('Automation rate')).toContain(`${n.automated} of ${n.ended} with no person deciding`);
      }
      const money = async (metric: string) => Number(/^\$([\d.]+)/.exec((await cell(metric))!)![1]);
      expect(Math.abs((await money('Model spend')) - n.spend)).toBeLessThan(0.01);
      if (n.runs) expect(n.aws).toBeGreaterThan(0);
      expect(Math.abs((await money('AWS spend')) - n.aws)).toBeLessThan(0.0001 + n.aws * 0.01);
      expect(Math.abs((await money('Total spend')) - n.spend - n.aws)).toBeLessThan(0.01);
      expect(await page.locator(`[data-workflow="${workflowId}"] svg`).count()).toBe(8);
      expect(await page.locator(`[data-workflow="${workflowId}"] svg rect.bar`).count()).toBe(8 * 30);
    }
    await shoot(page, 'outcomes');
    await accessible(page);

    // The rights page's explain form gives the CLI's answer for the same call, also for an agent without the tool.
    for (const [agent, amount] of [
      ['triage', 64],
      ['research', 10],
    ] as const) {
      const input = JSON.stringify({ orderId: 'KC-10442', amount, currency: 'USD', reason: 'never arrived' });
      const at = '2026-12-07T15:00:00Z';
      // The CLI as a separate process against this runtime (asynchronously: the runtime answers it from this process).
      const cli = await aiosCli(['rights', 'explain', '--tool', 'refunds.issue', '--agent', agent, '--input', input, '--at', at]);
      await page.goto(`${rt.url}/console/rights`);
      await page.selectOption('select[name=tool]', 'refunds.issue');
      await page.selectOption('select[name=agent]', agent);
      await page.fill('textarea[name=input]', input);
      await page.fill('input[name=at]', at);
      await page.getByRole('button', { name: 'Explain' }).click();
      expect(await page.textContent('pre.explanation')).toBe(cli.stdout);
      if (agent === 'research') expect(cli.stdout).toMatch(/^decision: deny \(before any rule\)/);
    }
    await shoot(page, 'rights');
    await accessible(page);
    // At phone width the rules table stacks: no column cut off, each count (Approvals too) under its own label.
    await page.setViewportSize({ width: 420, height: 900 });
    const frame = await page.locator('.scroll:has(table.stack)').evaluate((d) => ({ scroll: d.scrollWidth, client: d.clientWidth }));
    expect(frame.scroll).toBeLessThanOrEqual(frame.client);
    const approvalsCell = page.locator('tr[data-rule="medium-refunds"] td[data-label="Approvals"]');
    expect(await approvalsCell.isVisible()).toBe(true);
    const cellBox = (await approvalsCell.boundingBox())!;
    expect(cellBox.x + cellBox.width).toBeLessThanOrEqual(420);
    await accessible(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await page.locator('th', { hasText: 'Approvals' }).isVisible()).toBe(true);

    // A workflow's picture keeps its drawn size (12px labels) and scrolls inside its frame, and says so: on a desktop the
    // support desk's thirty states are wider than the frame, which opens scrolled to where runs start.
    await page.goto(`${rt.url}/console/workflows/support-desk`);
    expect(await page.locator('.hint').isVisible()).toBe(true);
    const desktop = await page.locator('.graph').evaluate((d) => ({ scroll: d.scrollWidth, client: d.clientWidth, left: d.scrollLeft }));
    expect(desktop.scroll).toBeGreaterThan(desktop.client);
    expect(desktop.left).toBeGreaterThan(0);
    const pictureFrame = (await page.locator('.graph').boundingBox())!;
    const opening = (await page.locator('#graph-start').boundingBox())!;
    expect(opening.x).toBeGreaterThanOrEqual(pictureFrame.x);
    expect(opening.x + opening.width).toBeLessThanOrEqual(pictureFrame.x + pictureFrame.width);
    expect(
      await page
        .locator('#graph-start text')
        .evaluate(
          (t) =>
            parseFloat(t.ownerDocument.defaultView!.getComputedStyle(t).fontSize) *
            ((t as unknown as { getScreenCTM(): { a: number } | null }).getScreenCTM()?.a ?? 1),
        ),
    ).toBe(12);
    await shoot(page, 'workflow');
    await accessible(page);
    // A picture that fits the frame shows whole, without the hint.
    await page.goto(`${rt.url}/console/workflows/weekly-review`);
    expect(await page.locator('.hint').isVisible()).toBe(false);
    const small = await page.locator('.graph').evaluate((d) => ({ scroll: d.scrollWidth, client: d.clientWidth }));
    expect(small.scroll).toBeLessThanOrEqual(small.client);
    await page.goto(`${rt.url}/console/workflows/support-desk`);
    await page.setViewportSize({ width: 420, height: 900 });
    const size = await page.locator('.graph svg').evaluate((svg) => ({ shown: svg.getBoundingClientRect().width, drawn: Number(svg.getAttribute('width')) }));
    expect(size.shown).toBeCloseTo(size.drawn, 0);
    const graph = await page.locator('.graph').evaluate((d) => ({ scroll: d.scrollWidth, client: d.clientWidth }));
    expect(graph.scroll).toBeGreaterThan(graph.client);
    expect(graph.client).toBeLessThanOrEqual(420);
    expect(await page.locator('.hint').isVisible()).toBe(true);
    // Opened on a phone, the frame shows where runs start; scrolled away, the hint's link brings it back.
    await page.reload();
    const phoneFrame = (await page.locator('.graph').boundingBox())!;
    const phoneStart = (await page.locator('#graph-start').boundingBox())!;
    expect(phoneStart.x).toBeGreaterThanOrEqual(phoneFrame.x);
    expect(phoneStart.x + phoneStart.width).toBeLessThanOrEqual(phoneFrame.x + phoneFrame.width);
    await page.locator('.graph').evaluate((d) => d.scrollTo({ left: 0 }));
    await page.getByRole('link', { name: 'go to where runs start' }).click();
    const start = (await page.locator('#graph-start').boundingBox())!;
    expect(start.x).toBeGreaterThanOrEqual(0);
    expect(start.x + start.width).toBeLessThanOrEqual(420);
    await accessible(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Verifying every chain in the console gives what `aios audit verify` prints.
    const verify = await aiosCli(['audit', 'verify']);
    await page.goto(`${rt.url}/console/audit`);
    await page.getByRole('button', { name: /^Verify all/ }).click();
    expect(`${await page.textContent('pre.verdict')}\n`).toBe(verify.stdout);
    await accessible(page);

    // Retiring a remembered item in the console: the next knowledge.search (the function the tool calls) no longer finds it.
    const remembered = await rememberKnowledge(
      {
        namespace: NS,
        text: 'Kestrel never refunds parcels lost by the courier overnight.',
        provenance: { runId: 'run-from-test', agentId: 'triage', at: new Date().toISOString() },
      },
      knowledgeStore(rt.environment),
    );
    const found = async () =>
      (await searchKnowledge({ query: 'parcels lost by the courier overnight', namespaces: [NS], limit: 10 }, knowledgeStore(rt.environment))).map(
        (h) => h.docId,
      );
    expect(await found()).toContain(remembered.document.id);
    await page.goto(`${rt.url}/console/knowledge?ns=${NS}`);
    const item = page.locator(`tr[data-doc="${remembered.document.id}"]`);
    await item.locator('input[name=why]').fill('Wrong: lost parcels are refunded.');
    await item.getByRole('button', { name: 'Retire' }).click();
    await page.waitForLoadState();
    expect(await page.locator(`tr[data-doc="${remembered.document.id}"]`).textContent()).toContain('retired');
    expect(await found()).not.toContain(remembered.document.id);
    await accessible(page);

    // A workflow drawn with no run: every state, none highlighted.
    const drawn = await page.goto(`${rt.url}/console/workflows/support-desk`);
    expect(drawn!.status()).toBe(200);
    expect(await page.locator('.graph .node').count()).toBeGreaterThan(10);
    expect(await page.locator('.graph .taken').count()).toBe(0);
    expect(await page.locator('.graph .group[data-state="Triage: act"]').count()).toBe(1);
    await context.close();

    const sam = await signIn('sam@kestrel.coffee');
    const refused = await sam.page.goto(`${rt.url}/console/outcomes`);
    expect(refused!.status()).toBe(403);
    expect((await sam.page.goto(`${rt.url}/console/workflows/support-desk`))!.status()).toBe(403);
    await sam.context.close();
  });
});
