/**
 * The local runtime the console benches measure, in this process on a fresh
 * data dir with the definition in `os/` (as `npm start` runs it): Stripe
 * dispute runs started from the sample bus event and followed until each
 * waits on its approval, and the console read as a signed-in admin. Tables
 * are the runtime's own (its environment), never the bench process's.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { startAiosRuntime, type AiosRuntime } from '../local/aios-runtime';
import { ApprovalStore } from '../shared/approvals/approval-store';
import { createAwsClients, type AwsClients } from '../shared/aws/clients';
import { stateTable } from '../shared/composition/tables';
import { SessionStore } from '../shared/console/session-store';

const root = path.join(__dirname, '..');

export interface DisputeRuntime {
  rt: AiosRuntime;
  dataDir: string;
  aws: AwsClients;
  /** Puts the dispute sample on the bus; resolves with the id of the new run once it waits on its approval. */
  startDisputeRun(): Promise<string>;
  /** GETs a console page as Maya (admin); a status other than 200 throws. */
  consoleGet(pathAndQuery: string): Promise<string>;
  close(): Promise<void>;
}

export async function startDisputeRuntime(name: string): Promise<DisputeRuntime> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `aios-${name}-bench-`));
  const rt = await startAiosRuntime({ port: 0, dataDir, schedules: false, env: { ...process.env, AIOS_OS_MODULE: undefined, AIOS_RECORDINGS_DIR: undefined } });
  const aws = createAwsClients({ endpoint: rt.url }, {});
  const sample = JSON.parse(readFileSync(path.join(root, 'events/samples/bus/stripe.charge.dispute.created.json'), 'utf8')) as {
    source: string;
    'detail-type': string;
    detail: unknown;
  };
  const approvals = new ApprovalStore(stateTable(rt.environment));
  const seen = new Set<string>();
  let session: string | undefined;
  return {
    rt,
    dataDir,
    aws,
    async startDisputeRun() {
      await aws.eventBridge().send(
        new PutEventsCommand({
          Entries: [{ EventBusName: 'aios', Source: sample.source, DetailType: sample['detail-type'], Detail: JSON.stringify(sample.detail) }],
        }),
      );
      for (let i = 0; i < 300; i++) {
        const waiting = (await approvals.list()).find((a) => a.status === 'pending' && !seen.has(a.runId))?.runId;
        if (waiting) {
          seen.add(waiting);
          return waiting;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('a dispute run did not reach its approval');
    },
    async consoleGet(pathAndQuery) {
      session ??= (await new SessionStore(stateTable(rt.environment)).create('maya', new Date())).id;
      const res = await fetch(`${rt.url}${pathAndQuery}`, { headers: { cookie: `aios_console_session=${session}` } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${pathAndQuery}: ${res.status} ${body.slice(0, 200)}`);
      return body;
    },
    async close() {
      await rt.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
