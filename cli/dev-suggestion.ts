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

/**
 * The first event file that some event trigger of the definition matches: the definition's own
 * `events/` folder (next to its scenarios) first, then `events/samples/bus/`; undefined when none does.
 */
export function startingEventFile(os: Pick<ValidOs, 'workflows' | 'scenariosDir'>, projectRoot: string): string | undefined {
  const patterns = os.workflows.flatMap((w) => w.triggers.flatMap((t) => (t.kind === 'event' ? [t.pattern] : [])));
  const own = path.join(path.dirname(path.resolve(projectRoot, os.scenariosDir)), 'events');
  const candidates = [...jsonFiles(own), ...jsonFiles(path.join(projectRoot, 'events', 'samples', 'bus'))];
  return candidates.find((file) => {
    const event = readJson(file);
    return event !== undefined && patterns.some((p) => matchesEventPattern(p, event));
  });
}
