/**
 * The webhook ingest function's bundle entry, written at synth: it carries
 * the vendors whose events some workflow trigger listens for, not every
 * vendor's verifier and schemas. A delivery for a vendor left out is refused
 * with `Webhook.SourceNotDeployed` (functions/webhook-ingest/deployed-sources.ts).
 *
 * A vendor is carried when a trigger's pattern can match its event source
 * (`saas.stripe`, …): a trigger without a `source` field matches every
 * source, so it carries all. The generic HMAC sources are carried when a
 * trigger can match `saas.generic`, names a `saas.*` source no built-in
 * vendor has (a generic source configured by AIOS_WEBHOOK_GENERIC_SOURCES),
 * or filters its source by anything other than exact names.
 */
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { webhookVendors } from '../events/sources';
import type { ValidOs } from '../shared/definition';
import { matchesEventPattern } from '../shared/event-pattern';
import type { WebhookSource } from '../shared/webhooks';
import { ENTRIES_DIR, ENVIRONMENT_MODULE, importPath, writeIfChanged } from './tool-entries';

const GENERIC = 'generic';

type SourcePattern = { any: true } | { any: false; source: unknown };

/** What a trigger can match of an event's `source`: every source, or the pattern's `source` field. */
function sourcePatterns(os: ValidOs): SourcePattern[] {
  return os.workflows.flatMap((w) =>
    w.triggers.flatMap((t): SourcePattern[] =>
      t.kind !== 'event' ? [] : 'source' in t.pattern ? [{ any: false, source: t.pattern.source }] : [{ any: true }],
    ),
  );
}

function canMatch(patterns: readonly SourcePattern[], eventSource: string): boolean {
  return patterns.some((p) => p.any || matchesEventPattern({ source: p.source }, { source: eventSource }));
}

/** The vendors this definition's triggers listen for: built-in ones by name, and whether the generic sources are. */
export function deployedWebhookVendors(os: ValidOs): { builtIn: string[]; notDeployed: Record<string, string>; generic: boolean } {
  const patterns = sourcePatterns(os);
  const builtIns = [...webhookVendors([]).values()].map((v) => v.source).filter((s) => s.name !== GENERIC);
  const builtInSources = new Set(builtIns.map((s) => s.eventSource));
  const carried = builtIns.filter((s) => canMatch(patterns, s.eventSource));
  const generic =
    canMatch(patterns, `saas.${GENERIC}`) ||
    patterns.some(
      (p) =>
        p.any ||
        (Array.isArray(p.source) ? p.source : [p.source]).some((v) => (typeof v === 'string' ? v.startsWith('saas.') && !builtInSources.has(v) : true)),
    );
  const notDeployed = Object.fromEntries(
    [...builtIns.filter((s) => !carried.includes(s)).map((s) => [s.name, s.eventSource]), ...(generic ? [] : [[GENERIC, `saas.${GENERIC}`]])].sort(),
  );
  return { builtIn: carried.map((s) => s.name), notDeployed, generic };
}

/** The module of events/ that exports this source, and the name it exports it under. */
function locateSource(source: WebhookSource, eventsDir: string): { file: string; exportName: string } {
  for (const dir of readdirSync(eventsDir).sort()) {
    const file = path.join(eventsDir, dir, 'index.ts');
    if (!existsSync(file)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(file) as Record<string, unknown>;
    const found = Object.entries(exports).find(([, value]) => value === source);
    if (found) return { file, exportName: found[0] };
  }
  throw new Error(`webhook source "${source.name}" is exported by no module of ${eventsDir}`);
}

/** Writes the webhook ingest function's entry for `os` and returns it. */
export function webhookIngestEntry(os: ValidOs, projectRoot: string): { entry: string; ownEntry: boolean } {
  const dir = path.join(projectRoot, ENTRIES_DIR);
  const eventsDir = path.join(projectRoot, 'events');
  const vendors = deployedWebhookVendors(os);
  const sources = webhookVendors([]);
  const imports = vendors.builtIn.map((name, i) => {
    const { file, exportName } = locateSource(sources.get(name)!.source, eventsDir);
    return `import { ${exportName} as source${i} } from ${JSON.stringify(importPath(dir, file))};`;
  });
  const generic = vendors.generic
    ? {
        imports: [
          `import { createGenericHmacSource, DEFAULT_GENERIC_CONFIG, genericConfigsFromEnv } from ${JSON.stringify(importPath(dir, path.join(eventsDir, 'generic', 'index.ts')))};`,
        ],
        value: 'generic: { create: createGenericHmacSource, defaults: DEFAULT_GENERIC_CONFIG, fromEnv: genericConfigsFromEnv }, ',
      }
    : { imports: [], value: '' };
  const module = (file: string) => JSON.stringify(importPath(dir, path.join(projectRoot, file)));
  const source = [
    "// The function webhook-ingest, generated at synth by infra/webhook-entry.ts: the webhook vendors the definition's triggers listen for.",
    `import { webhookHandler } from ${module('functions/webhook-ingest/webhook-function.ts')};`,
    `import { deployedSourceMap } from ${module('functions/webhook-ingest/deployed-sources.ts')};`,
    `import { parseEnvironment } from ${module(ENVIRONMENT_MODULE)};`,
    ...imports,
    ...generic.imports,
    '',
    `const deployed = { builtIn: [${vendors.builtIn.map((_, i) => `source${i}`).join(', ')}], ${generic.value}notDeployed: ${JSON.stringify(vendors.notDeployed)} };`,
    '',
    'export const handler = webhookHandler(parseEnvironment(process.env), { sources: (vars) => deployedSourceMap(deployed, vars), notDeployed: deployed.notDeployed });',
    '',
  ].join('\n');
  const entry = path.join(dir, 'webhook-ingest.ts');
  writeIfChanged(entry, source);
  return { entry, ownEntry: true };
}
