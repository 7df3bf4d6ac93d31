/**
 * A bundle entry of its own for each tool function. The shared entry
 * (functions/tool-run) loads the whole definition, so every tool's bundle
 * would carry every tool's code and SDK clients. At synth, each tool is found
 * among the modules the definition loads (the export whose handler and input
 * schema are the tool's own), and a small entry imports that module and the
 * tool runner only; the validated tool's data (id, timeout, config …) is
 * written into the entry, so defaults and overrides such as
 * `{ ...httpRequest, config }` hold as in the definition.
 *
 * A tool that cannot be found that way (not exported, or a config that is not
 * plain JSON) keeps the shared entry: it works, only its bundle is larger.
 */
import { buildSync } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ValidOs } from '../shared/definition';
import type { Tool } from '../shared/definition/tool';
import type { ToolPortFactories } from '../shared/composition/tool-ports';
import { TOOL_RUN_ENTRY, type Need } from '../shared/deployment/function-specs';
import { toolNeeds } from '../shared/deployment/tool-needs';
import { dataSource } from './data-source';

/** Where a tool is declared: the module and the name it is exported under. */
export interface ToolModule {
  file: string;
  exportName: string;
}

/** Where the generated entries of tool and system functions go (ignored by git, like the rest of `.aios/`). */
export const ENTRIES_DIR = path.join('.aios', 'lambda-entries');
/** The composition root's environment parser, which every generated entry hands `process.env` to. */
export const ENVIRONMENT_MODULE = 'shared/composition/environment.ts';

/** The definition's own modules (its import graph without packages), absolute paths. */
export function definitionModules(definitionModule: string, projectRoot: string): string[] {
  const result = buildSync({
    entryPoints: [path.resolve(projectRoot, definitionModule)],
    absWorkingDir: projectRoot,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    packages: 'external',
    outdir: path.join(projectRoot, ENTRIES_DIR),
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).map((input) => path.resolve(projectRoot, input));
}

/** The export, among these modules, that declares this tool's handler and input schema. */
export function locateTool(tool: Pick<Tool, 'handler' | 'input'>, modules: readonly string[]): ToolModule | undefined {
  for (const file of modules) {
    // Already loaded with the definition: the same module instances, so the same handler functions.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(file) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(exports)) {
      const declared = value as Partial<Tool> | null;
      if (declared && typeof declared === 'object' && declared.handler === tool.handler && declared.input === tool.input) return { file, exportName };
    }
  }
  return undefined;
}

/**
 * The tool's data as the definition validated it that its export does not already hold (defaults applied, overrides such
 * as `{ ...httpRequest, config }`), when all of it is plain JSON: the entry spreads it over the export, so what the two
 * hold alike (the description, for one) is carried once.
 */
function toolData(tool: Tool, declared: ToolModule): Record<string, unknown> | undefined {
  const data = {
    id: tool.id,
    description: tool.description,
    sideEffect: tool.sideEffect,
    timeoutSeconds: tool.timeoutSeconds,
    idempotent: tool.idempotent,
    config: tool.config,
    permissions: tool.permissions,
  };
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(data)), data)) return undefined;
  // Already loaded with the definition (locateTool found it there).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = (require(declared.file) as Record<string, Record<string, unknown>>)[declared.exportName];
  return Object.fromEntries(Object.entries(data).filter(([key, value]) => !isDeepStrictEqual(exported[key], value)));
}

/** An import specifier for `file` from a module in `fromDir` (relative, no extension). */
export function importPath(fromDir: string, file: string): string {
  const relative = path
    .relative(fromDir, file)
    .split(path.sep)
    .join('/')
    .replace(/\.[cm]?[jt]sx?$/, '');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

interface PortFactory {
  port: keyof ToolPortFactories;
  factory: string;
  file: string;
  needs: readonly Need[];
}

/**
 * Each tool port, the composition root's factory behind it, and the needs that grant it (shared/composition/tool-ports.ts);
 * the first that a tool's needs grant serves each port. A tool that writes knowledge gets the writer's port (no search
 * index), one that only reads gets the reader's (no write code); either comes with its embeddings provider only when
 * the deployment turns embeddings on.
 */
function portFactories(embeddings: boolean): readonly PortFactory[] {
  const without = embeddings ? '' : 'WithoutEmbeddings';
  return [
    { port: 'sendEmail', factory: 'sendEmail', file: 'mailer', needs: ['email'] },
    { port: 'publisher', factory: 'eventPublisher', file: 'publisher', needs: ['bus'] },
    { port: 'knowledge', factory: `knowledgeRememberPort${without}`, file: 'knowledge-writer', needs: ['knowledgeWrite'] },
    { port: 'knowledge', factory: `knowledgeSearchPort${without}`, file: 'knowledge-reader', needs: ['knowledgeRead'] },
  ];
}

/** The source of a tool function's entry (imports relative to `entryDir`). */
export function toolEntrySource(
  tool: Tool,
  declared: ToolModule,
  agents: ValidOs['agents'],
  entryDir: string,
  projectRoot: string,
  embeddings = false,
): string | undefined {
  const data = toolData(tool, declared);
  if (!data) return undefined;
  const runner = path.join(projectRoot, 'functions/tool-run/tool-function.ts');
  const knowledge = agents.map((a) => ({ id: a.id, knowledge: a.knowledge }));
  // Only the ports the tool's role allows, each from its own module: the bundle carries no other client.
  const needs = toolNeeds(tool);
  const granted = portFactories(embeddings).filter((p) => p.needs.some((n) => needs.includes(n)));
  const ports = granted.filter((p, i) => granted.findIndex((q) => q.port === p.port) === i);
  const fromRoot = (file: string) => JSON.stringify(importPath(entryDir, path.join(projectRoot, 'shared/composition', file)));
  return [
    `// The function of tool "${tool.id}", generated at synth by infra/tool-entries.ts: its own module and the tool runner, no other tool.`,
    `import { toolFunctionHandler } from ${JSON.stringify(importPath(entryDir, runner))};`,
    `import { parseEnvironment } from ${JSON.stringify(importPath(entryDir, path.join(projectRoot, ENVIRONMENT_MODULE)))};`,
    ...ports.map((p) => `import { ${p.factory} } from ${fromRoot(p.file)};`),
    `import { ${declared.exportName} as declared } from ${JSON.stringify(importPath(entryDir, declared.file))};`,
    '',
    `const ports = { ${ports.map((p) => (p.port === p.factory ? p.port : `${p.port}: ${p.factory}`)).join(', ')} };`,
    '',
    `export const handler = toolFunctionHandler(parseEnvironment(process.env), { ...declared, ...${dataSource(data)} }, ${JSON.stringify(knowledge)}, ports);`,
    '',
  ].join('\n');
}

/** Writes a file only when its content changes, atomically (parallel synths may write the same entry). */
export function writeIfChanged(file: string, content: string): void {
  try {
    if (readFileSync(file, 'utf8') === content) return;
  } catch {
    // not written yet
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, file);
}

export interface ToolEntryOptions {
  projectRoot: string;
  /** The definition's module (default export), relative to the project root. */
  definitionModule: string;
  /** Whether the deployment turns knowledge embeddings on (the `embeddingsModel` setting); default off. */
  embeddings?: boolean;
}

/** A tool function's entry: its own generated entry, or the shared one when the tool cannot be found on its own. */
export function toolFunctionEntries(os: ValidOs, options: ToolEntryOptions): Map<string, { entry: string; ownEntry: boolean }> {
  const modules = definitionModules(options.definitionModule, options.projectRoot);
  const dir = path.join(options.projectRoot, ENTRIES_DIR);
  const shared = path.join(options.projectRoot, TOOL_RUN_ENTRY);
  const entries = new Map<string, { entry: string; ownEntry: boolean }>();
  for (const tool of os.tools) {
    const declared = locateTool(tool, modules);
    const source = declared ? toolEntrySource(tool, declared, os.agents, dir, options.projectRoot, options.embeddings ?? false) : undefined;
    if (!source) {
      entries.set(tool.id, { entry: shared, ownEntry: false });
      continue;
    }
    // A knowledge tool's entry differs with embeddings: its own file, so synths with and without them never overwrite each other's.
    const withEmbeddings = options.embeddings && toolNeeds(tool).some((n) => n === 'knowledgeRead' || n === 'knowledgeWrite');
    const entry = path.join(dir, `${tool.id.replace(/\./g, '-')}${withEmbeddings ? '.embeddings' : ''}.ts`);
    writeIfChanged(entry, source);
    entries.set(tool.id, { entry, ownEntry: true });
  }
  return entries;
}

/** The definition module a process loads: AIOS_OS_MODULE, else the repository's `os/index.ts` (as functions/current-os.ts). */
export function definitionModuleFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.AIOS_OS_MODULE ?? 'os/index.ts';
}
