/**
 * `aios events list [--source s] [--bus b] [--limit n]` shows the events the
 * local runtime accepted (newest first) with what each delivery did;
 * `aios events replay <eventId>` puts an archived event through the current
 * rules again; `aios events test-pattern <pattern.json> <event.json>` asks
 * EventBridge's TestEventPattern whether a pattern matches an event.
 *
 * list and replay use the local runtime's archive actions (`LocalListEvents`,
 * `LocalReplayEvent`: AWS has no per-event archive API); test-pattern goes
 * through @aws-sdk/client-eventbridge and works against AWS too.
 */
import { readFileSync } from 'node:fs';
import { TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { type Command, InvalidArgumentError } from 'commander';
import { createAwsClients } from '../../shared/aws/clients';
import { AiosError } from '../../shared/errors';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { localEndpoint } from '../local-endpoint';
import { printOut } from '../terminal-text';

interface ListedEvent {
  EventId: string;
  EventBusName: string;
  Source: string;
  DetailType: string;
  Time: string;
  Deliveries: Array<{ Rule: string; TargetId: string; Status: string; Attempts: number; Error?: string }>;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('a whole number from 1 to 1000');
  return n;
}

function endpoint(cli: CliEnvironment): string {
  const env = cli.current();
  return env.endpoint ?? localEndpoint(env.vars);
}

function unreachable(where: string, cause: unknown): AiosError {
  return new AiosError(
    'Events.Unreachable',
    `cannot reach the local runtime at ${where}: start it with \`npm start\` (or set AIOS_PORT)`,
    { endpoint: where },
    { cause },
  );
}

/** Calls a local EventBridge action (AWS JSON 1.1) and returns its body. */
async function callLocal(where: string, action: string, input: Record<string, unknown>): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(where, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${action}` },
      body: JSON.stringify(input),
    });
  } catch (error) {
    throw unreachable(where, error);
  }
  const body = (await response.json().catch(() => ({}))) as { __type?: string; message?: string };
  if (!response.ok) throw new AiosError(`EventBridge.${body.__type ?? response.status}`, body.message ?? `HTTP ${response.status}`, { endpoint: where });
  return body;
}

function readJsonFile(file: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AiosError('Events.FileUnreadable', `cannot read the ${what} file ${file}: ${(error as Error).message}`, { file });
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new AiosError('Events.FileNotJson', `the ${what} file ${file} is not JSON: ${(error as Error).message}`, { file });
  }
  return text;
}

function formatEvent(e: ListedEvent): string {
  const deliveries = e.Deliveries.length
    ? e.Deliveries.map((d) => `${d.Rule}/${d.TargetId} ${d.Status}${d.Attempts > 1 ? ` after ${d.Attempts} tries` : ''}${d.Error ? ` (${d.Error})` : ''}`).join(
        '; ',
      )
    : 'no rule matched';
  return `${e.Time}  ${e.EventId}  ${e.EventBusName}  ${e.Source}  ${e.DetailType}\n    ${deliveries}`;
}

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  const events = program.command('events').description('events on the local EventBridge: list the archive, replay, test patterns');

  events
    .command('list')
    .description('list accepted events, newest first, with their deliveries')
    .option('--source <source>', 'only events with this source')
    .option('--bus <bus>', 'only events on this bus')
    .option('--limit <n>', 'how many (1-1000)', positiveInt, 20)
    .action(async (options: { source?: string; bus?: string; limit: number }) => {
      const body = (await callLocal(endpoint(cli), 'LocalListEvents', { Source: options.source, EventBusName: options.bus, Limit: options.limit })) as {
        Events: ListedEvent[];
      };
      if (body.Events.length === 0) printOut('no events\n');
      for (const e of body.Events) printOut(`${formatEvent(e)}\n`);
    });

  events
    .command('replay')
    .description('put an archived event through the current rules of its bus again')
    .argument('<eventId>', 'the id `aios events list` shows')
    .action(async (eventId: string) => {
      const body = (await callLocal(endpoint(cli), 'LocalReplayEvent', { EventId: eventId })) as { ReplayName: string; MatchedRules: string[] };
      printOut(`replayed ${eventId} as ${body.ReplayName}: ${body.MatchedRules.length ? `matched ${body.MatchedRules.join(', ')}` : 'no rule matched'}\n`);
    });

  events
    .command('test-pattern')
    .description('whether an event pattern matches an event (EventBridge TestEventPattern)')
    .argument('<pattern>', 'JSON file with the event pattern')
    .argument('<event>', 'JSON file with a full event (id, source, detail-type, time, account, region, detail)')
    .action(async (patternFile: string, eventFile: string) => {
      const where = endpoint(cli);
      const client = createAwsClients({ endpoint: where }, cli.current().vars).eventBridge();
      try {
        const result = await client.send(
          new TestEventPatternCommand({ EventPattern: readJsonFile(patternFile, 'pattern'), Event: readJsonFile(eventFile, 'event') }),
        );
        printOut(result.Result ? 'match\n' : 'no match\n');
        if (!result.Result) process.exitCode = 1;
      } catch (error) {
        if (error instanceof AiosError) throw error;
        const e = error as { name?: string; message?: string; code?: string };
        if (e.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(String(e.message))) throw unreachable(where, error);
        throw new AiosError(`EventBridge.${e.name ?? 'Error'}`, e.message ?? String(error));
      } finally {
        client.destroy();
      }
    });
}
