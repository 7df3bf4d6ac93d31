/**
 * What the agents-*.test.ts files share: the whole AI OS in process on a free
 * port with a temporary data folder (definition and recordings chosen through
 * the environment, restored on close), a Zendesk-like ticket put on the bus,
 * and readers for what a run left behind (business calls, stored
 * conversation, audit records, tool-run records, published events, outbox).
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, ListExecutionsCommand, type DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import { startAiosRuntime, type AiosRuntime } from '../../local/aios-runtime';
import { ConversationStore, type StoredMessage } from '../../shared/agents/conversation-store';
import type { AuditRecord } from '../../shared/audit/record';
import { createAwsClients, type AwsClients } from '../../shared/aws/clients';
import { queryAll } from '../../shared/storage/table';
import { auditLog, stateTable } from '../../shared/composition/tables';
import { EXAMPLE_OS_MODULE } from '../support/example';

export const ROOT = path.join(__dirname, '..', '..');
/** This area's test-only recordings (each matched by an order number only its test uses). */
export const TEST_RECORDINGS = path.join(ROOT, 'test', 'fixtures', 'recordings');

export interface BusinessCall {
  method: string;
  path: string;
  runId: string | null;
  body: Record<string, unknown>;
}

export interface PublishedEvent {
  EventId: string;
  Source: string;
  DetailType: string;
  Event: string;
}

export interface AgentsRuntime {
  rt: AiosRuntime;
  aws: AwsClients;
  /** Puts an event on the `aios` bus and returns the support-desk execution it started. */
  startEvent(event: { source: string; detailType: string; detail: unknown }): Promise<string>;
  /** Puts a Zendesk ticket on the bus and returns the execution the support desk started for it. */
  startTicket(ticket: { id: string; subject: string; description: string }): Promise<string>;
  /** Waits for the execution to end. */
  finished(executionArn: string): Promise<DescribeExecutionOutput>;
  businessCalls(runId: string): Promise<BusinessCall[]>;
  conversation(runId: string, agentId?: string, stepId?: string): Promise<StoredMessage[]>;
  audit(runId: string): Promise<AuditRecord[]>;
  /** The run's tool-run idempotency records (`tool#<toolUseId>` under `run#<runId>`). */
  toolRecords(runId: string): Promise<Record<string, unknown>[]>;
  /** Events the local EventBridge accepted (its archive), newest first. */
  publishedEvents(source?: string): Promise<PublishedEvent[]>;
  /** `.eml` files in the local SES outbox. */
  outbox(): string[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the runtime with `AIOS_OS_MODULE` = `osModule` (default: the
 * example) and `AIOS_RECORDINGS_DIR` = `recordingsDir` (default: the definition's own).
 */
export async function startAgentsRuntime(options: { osModule?: string; recordingsDir?: string } = {}): Promise<AgentsRuntime> {
  const savedEnv = { ...process.env };
  if (options.osModule) process.env.AIOS_OS_MODULE = options.osModule;
  else process.env.AIOS_OS_MODULE = EXAMPLE_OS_MODULE;
  if (options.recordingsDir) process.env.AIOS_RECORDINGS_DIR = options.recordingsDir;
  else delete process.env.AIOS_RECORDINGS_DIR;
  delete process.env.AIOS_MODEL_PROVIDER;
  delete process.env.AIOS_SMTP_URL;
  let rt: AiosRuntime;
  try {
    rt = await startAiosRuntime({ port: 0, dataDir: mkdtempSync(path.join(tmpdir(), 'aios-agents-')), schedules: false });
  } catch (error) {
    process.env = savedEnv;
    throw error;
  }
  const aws = createAwsClients({ endpoint: rt.url }, {});
  const seen = new Set<string>();

  const startEvent: AgentsRuntime['startEvent'] = async (event) => {
    const put = await aws
      .eventBridge()
      .send(
        new PutEventsCommand({ Entries: [{ EventBusName: 'aios', Source: event.source, DetailType: event.detailType, Detail: JSON.stringify(event.detail) }] }),
      );
    if (put.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(put.Entries)}`);
    const stateMachineArn = rt.installed.stateMachines['support-desk'];
    for (let i = 0; i < 200; i++) {
      const list = await aws.sfn().send(new ListExecutionsCommand({ stateMachineArn }));
      const fresh = (list.executions ?? []).find((e) => !seen.has(e.executionArn!));
      if (fresh) {
        seen.add(fresh.executionArn!);
        return fresh.executionArn!;
      }
      await sleep(50);
    }
    throw new Error('the event started no support-desk run');
  };

  return {
    rt,
    aws,
    startEvent,
    startTicket(ticket) {
      const detail = {
        type: 'zen:event-type:ticket.created',
        id: `evt-${ticket.id}`,
        time: '2026-11-24T09:00:00Z',
        detail: { id: ticket.id, subject: ticket.subject, description: ticket.description, requester_id: '77', status: 'NEW' },
      };
      return startEvent({ source: 'saas.zendesk', detailType: 'zen:event-type:ticket.created', detail });
    },
    async finished(executionArn) {
      for (let i = 0; i < 400; i++) {
        const d = await aws.sfn().send(new DescribeExecutionCommand({ executionArn }));
        if (d.status !== 'RUNNING') return d;
        await sleep(50);
      }
      throw new Error(`${executionArn} did not end within 20 s`);
    },
    async businessCalls(runId) {
      const body = (await (await fetch(`${rt.url}/business/calls`)).json()) as { calls: BusinessCall[] };
      return body.calls.filter((c) => c.runId === runId);
    },
    conversation(runId, agentId = 'triage', stepId = 'triage') {
      return new ConversationStore(stateTable(rt.environment)).load({ runId, agentId, stepId });
    },
    audit(runId) {
      return auditLog(rt.environment).records(runId);
    },
    async toolRecords(runId) {
      return (await queryAll(stateTable(rt.environment), `run#${runId}`, { skPrefix: 'tool#' })) as Record<string, unknown>[];
    },
    async publishedEvents(source) {
      const response = await fetch(rt.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.LocalListEvents' },
        body: JSON.stringify({ EventBusName: 'aios', Limit: 1000, ...(source ? { Source: source } : {}) }),
      });
      if (!response.ok) throw new Error(`LocalListEvents: HTTP ${response.status} ${await response.text()}`);
      return ((await response.json()) as { Events: PublishedEvent[] }).Events;
    },
    outbox() {
      const dir = path.join(rt.dataDir, 'outbox');
      return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    },
    async close() {
      try {
        await rt.close();
      } finally {
        process.env = savedEnv;
      }
    },
  };
}

/** The execution name, which the compiled workflow uses as the run id. */
export function runIdOf(executionArn: string): string {
  return executionArn.slice(executionArn.lastIndexOf(':') + 1);
}

/** Every toolResult block of a stored conversation, with its text. */
export function toolResults(messages: readonly StoredMessage[]): { toolUseId: string; status: string | undefined; text: string }[] {
  return messages.flatMap((m) =>
    m.message.content.flatMap((b) => {
      const r = (b as { toolResult?: { toolUseId: string; status?: string; content?: { text?: string }[] } }).toolResult;
      return r ? [{ toolUseId: r.toolUseId, status: r.status, text: (r.content ?? []).map((c) => c.text ?? '').join('\n') }] : [];
    }),
  );
}

/** Every toolUse block the model sent, in order. */
export function toolUsesOf(messages: readonly StoredMessage[]): { toolUseId: string; name: string; input: unknown }[] {
  return messages.flatMap((m) =>
    m.message.role !== 'assistant'
      ? []
      : m.message.content.flatMap((b) => {
          const u = (b as { toolUse?: { toolUseId: string; name: string; input: unknown } }).toolUse;
          return u ? [u] : [];
        }),
  );
}
