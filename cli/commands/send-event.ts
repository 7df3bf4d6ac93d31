/**
 * `aios send-event <file.json> [--bus aios]` puts an event on the bus through
 * EventBridge PutEvents (@aws-sdk/client-eventbridge from the client
 * factory), at the local runtime unless AIOS_TARGET=aws or AWS_ENDPOINT_URL
 * says otherwise. Prints each event id, or each entry's error (exit 1).
 * Each event names who sent it in `resources` (`aios:sent-by:<user>@<host>`),
 * and the trail of a run it starts says so.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Command } from 'commander';
import { eventBridgeClient } from '../../shared/aws/eventbridge';
import { SENT_BY_RESOURCE_PREFIX } from '../../shared/contracts/manual-start';
import { AiosError } from '../../shared/errors';
import { eventEntriesFromSample } from '../event-sample';
import { sampleFile } from '../sample-file';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { cliOperator } from '../operator';
import { printOut, printErr } from '../terminal-text';

/** PutEvents takes at most 10 entries a call. */
const BATCH = 10;

class EventsRejectedError extends AiosError {
  constructor(failed: number, total: number) {
    super('Events.Rejected', `${failed} of ${total} event${total === 1 ? ' was' : 's were'} not accepted`, { failed, total });
  }
}

function readSample(file: string): { text: string; name: string } {
  const resolved = sampleFile(file);
  return { text: readFileSync(resolved, 'utf8'), name: path.basename(resolved) };
}

function sdkError(error: unknown, endpoint: string | undefined): AiosError {
  if (error instanceof AiosError) return error;
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET'].includes(code) || /ECONNREFUSED/.test(String(e.message))) {
    return new AiosError(
      'Events.Unreachable',
      `cannot reach EventBridge at ${endpoint ?? 'AWS'}: start the local runtime with \`npm start\` (or set AIOS_PORT)`,
      { endpoint },
      { cause: error },
    );
  }
  return new AiosError(`EventBridge.${e.name ?? 'Error'}`, e.message ?? String(error));
}

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  program
    .command('send-event')
    .description('put an event on the bus (EventBridge PutEvents): a full event, a PutEvents entry, or a webhook sample from events/samples')
    .argument('<file>', 'a JSON file, e.g. events/samples/zendesk.ticket-created.json (a bare sample name works too)')
    .option('--bus <name>', 'the event bus (default $AIOS_BUS_NAME or aios)')
    .action(async (file: string, options: { bus?: string }) => {
      const sample = readSample(file);
      const entries = eventEntriesFromSample(sample.text, sample.name);
      const env = cli.current();
      const endpoint = env.endpoint;
      const bus = options.bus ?? env.busName;
      const sentBy = `${SENT_BY_RESOURCE_PREFIX}${cliOperator()}`;
      let failed = 0;
      for (let i = 0; i < entries.length; i += BATCH) {
        // Each event says who put it on the bus, so a run it starts is not taken for one its source started.
        const batch = entries
          .slice(i, i + BATCH)
          .map((e) => ({ ...e, EventBusName: options.bus ?? e.EventBusName ?? bus, Resources: [...(e.Resources ?? []), sentBy] }));
        let out;
        try {
          out = await eventBridgeClient({}, env.vars).send(new PutEventsCommand({ Entries: batch }));
        } catch (error) {
          throw sdkError(error, endpoint);
        }
        (out.Entries ?? []).forEach((result, j) => {
          const entry = batch[j];
          const what = `${entry.Source} / ${entry.DetailType} on bus ${entry.EventBusName}`;
          if (result.EventId) {
            printOut(`${result.EventId}  ${what}\n`);
          } else {
            failed++;
            printErr(`rejected ${what}: ${result.ErrorCode ?? 'Error'}: ${result.ErrorMessage ?? 'no message'}\n`);
          }
        });
      }
      if (failed) throw new EventsRejectedError(failed, entries.length);
    });
}
