/**
 * See what the agent is told before writing a recording: `aios agent prompt`
 * prints the Converse request the agent's first model call carries; a
 * conversation no recording answers names its key in full and leaves a draft
 * recording to complete.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recordingSchema } from '../../local/bedrock/recordings';
import { runScenario } from '../../local/scenarios/run-scenario';
import { loadValidOs } from '../../shared/definition';
import { scenarioSchema } from '../../shared/scenarios/scenario-schema';
import exampleOs from '../../examples/kestrel-coffee';

const root = path.join(__dirname, '..', '..');
const aios = (args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'bin/aios.js'), ...args], { cwd: root, env: process.env, encoding: 'utf8', timeout: 60_000 });
const eventFile = path.join(root, 'events/samples/bus/zendesk.ticket-created.json');

it('prints the system prompt with the quoted knowledge, the first message, the tools and the conversation key', () => {
  const r = aios(['agent', 'prompt', 'triage', '--event', eventFile]);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^agent triage in workflow support-desk, model \S+\nconversation key: (triage#[0-9a-f]{12})/);
  expect(r.stdout).toMatch(/── system ──\nYou are the first-line support agent[\s\S]*<excerpt namespace="support"/);
  expect(r.stdout).toMatch(/── first message \(user\) ──\n[\s\S]*KC-10482/);
  expect(r.stdout).toMatch(/── tool configuration ──\n[\s\S]*"name": "refunds_issue"/);

  const json = JSON.parse(aios(['agent', 'prompt', 'triage', '--event', eventFile, '--json']).stdout) as {
    conversationKey: string;
    request: { toolConfig: { tools: unknown[] }; requestMetadata: Record<string, string> };
  };
  expect(r.stdout).toContain(`conversation key: ${json.conversationKey}`);
  expect(json.request.toolConfig.tools).toHaveLength(4);
  expect(json.request.requestMetadata.aiosAgent).toBe('triage');
});

it('names what is wrong: an agent no workflow uses with that id', () => {
  const r = aios(['agent', 'prompt', 'nobody', '--event', eventFile]);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('Agent.Prompt: no agent "nobody" (agents: triage, research)');
});

it('a missing recording names the conversation key in full and writes a draft recording to complete', async () => {
  const os = loadValidOs(exampleOs);
  const dir = mkdtempSync(path.join(tmpdir(), 'aios-drafts-'));
  const event = JSON.parse(readFileSync(eventFile, 'utf8')) as Record<string, unknown>;
  const scenario = scenarioSchema.parse({ name: 'no recording', workflow: 'support-desk', event, recordings: [], expect: { status: 'succeeded' } });
  const result = await runScenario({ os, scenario, file: path.join(dir, 'scenario.json'), recordingsDir: dir });
  const key = /no recording for conversation "(triage#[0-9a-f]{12})"/.exec(result.observed.error ?? '')?.[1];
  expect(key).toBeDefined();
  const draft = path.join(dir, 'drafts', `${key!.replace('#', '-')}.json`);
  expect(result.observed.error).toContain(`A draft to complete is at ${draft}.`);
  expect(result.observed.error).toContain('`aios agent prompt` shows what the agent is told');
  expect(existsSync(draft)).toBe(true);
  const written = recordingSchema.parse(JSON.parse(readFileSync(draft, 'utf8')));
  expect(written.conversation).toBe(key);
  expect(written.firstMessage).toContain('KC-10482');
  expect(written.description).toMatch(/naming one of: knowledge_search, refunds_issue, tickets_reply, knowledge_remember/);
  // The key the CLI shows is the key the draft names.
  expect(aios(['agent', 'prompt', 'triage', '--event', eventFile]).stdout).toContain(`conversation key: ${key}`);
});
