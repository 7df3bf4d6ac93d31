/**
 * What `npm start`'s banner suggests trying: an event that starts one of the
 * definition's workflows (a sample on the bus, or one in the definition's own
 * `events/` folder, as `aios init` writes), so a newcomer's first command
 * starts a run instead of an event no rule listens to.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ValidOs } from '../shared/definition';
import { matchesEventPattern } from '../shared/event-pattern/compile';
import { eventEntriesFromSample } from './event-sample';

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** An event file and the workflow whose trigger it matches. */
export interface StartingEvent {
  file: string;
  workflowId: string;
}

/**
 * The first event file that some event trigger of the definition matches, with that trigger's workflow: the
 * definition's own `events/` folder (next to its scenarios) first, then `events/samples/bus/`; undefined when none does.
 */
export function startingEvent(os: Pick<ValidOs, 'workflows' | 'scenariosDir'>, projectRoot: string): StartingEvent | undefined {
  const own = path.join(path.dirname(path.resolve(projectRoot, os.scenariosDir)), 'events');
  const candidates = [...jsonFiles(own), ...jsonFiles(path.join(projectRoot, 'events', 'samples', 'bus'))];
  for (const file of candidates) {
    const event = readJson(file);
    if (event === undefined) continue;
    const workflow = os.workflows.find((w) => w.triggers.some((t) => t.kind === 'event' && matchesEventPattern(t.pattern, event)));
    if (workflow) return { file, workflowId: workflow.id };
  }
  return undefined;
}

/**
 * A vendor's webhook sample (`events/samples/<vendor>.<event>.json`) whose event some trigger of the definition
 * listens for, as `aios webhook <vendor> <file>` takes it; undefined when none is (the delivery would start nothing).
 */
export function webhookSample(os: Pick<ValidOs, 'workflows'>, projectRoot: string): { vendor: string; file: string } | undefined {
  const patterns = os.workflows.flatMap((w) => w.triggers.flatMap((t) => (t.kind === 'event' ? [t.pattern] : [])));
  for (const file of jsonFiles(path.join(projectRoot, 'events', 'samples'))) {
    let events: unknown[];
    try {
      events = eventEntriesFromSample(readFileSync(file, 'utf8'), path.basename(file)).map((e) => ({
        source: e.Source,
        'detail-type': e.DetailType,
        detail: JSON.parse(e.Detail ?? '{}') as unknown,
      }));
    } catch {
      continue;
    }
    if (events.some((event) => patterns.some((p) => matchesEventPattern(p, event)))) return { vendor: path.basename(file).split('.')[0], file };
  }
  return undefined;
}

/**
 * The banner's closing lines: the command that starts a run, then the one that lists runs, then (with a sample event)
 * the same run started by hand. Each carries `cliEnv`
 * (the port and data dir), without which the CLI talks to another runtime. A workflow started by hand gets the same
 * event as input: started without one, a workflow that reads its event fails at its first step.
 */
export function tryLines(cliEnv: string, starting: StartingEvent | undefined, firstWorkflow: string): string[] {
  // No sample starts a workflow: the only suggestion is a start by hand, said once (with the input it may need).
  if (!starting) return [`Try:  ${cliEnv} npx aios start ${firstWorkflow} [--input <event.json>]`, `then: ${cliEnv} npx aios runs`];
  return [
    `Try:  ${cliEnv} npx aios send-event ${starting.file}`,
    `then: ${cliEnv} npx aios runs`,
    `or:   ${cliEnv} npx aios start ${starting.workflowId} --input ${starting.file}`,
  ];
}
