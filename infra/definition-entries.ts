/**
 * Bundle entries for the system functions that read only part of the
 * definition. Their usual entries load the whole definition (every tool's
 * handler and SDK client, every workflow, classic zod to validate it); at
 * synth, the part each reads is written into a small entry as data,
 * validated already, and the little code it needs (each tool's `describe`
 * for the approval pages) is imported from the module that declares it.
 *
 * - tool-gate: the rules compiled (shared/rights/compiled-rules.ts: each `when` parsed, each approval plan resolved
 *   against the people), tools (ids, side effects), agents (ids, tools), lists. So the gate carries the evaluator,
 *   not the expression parser. Facts are code the gate runs: a definition with facts, or with a rule that reads one,
 *   keeps the usual entry, as does one whose compiled rules are not plain JSON (a literal such as `1e999`).
 * - approval-request: people, rule descriptions, each tool's `describe`.
 * - approval-http: people only (each approval stores the sentence it asks about and its rule's description: no tool code).
 * - agent-step: the agents (each output schema imported from the agent's module, to validate the answer,
 *   and written as JSON Schema, to state it in the prompt; each price settled from the overrides and the
 *   price table), the tools they use with their input already turned into JSON Schema.
 * - console: shared/console/console-slice.ts (each workflow's graph laid out, the cost model, people,
 *   rules (each once, with what compiling added beside it: shared/console/packed-rules.ts), lists, agents
 *   with their output as JSON Schema), each tool's input schema and `describe` imported from the tool's
 *   module into a module of their own (console-tools.ts beside the entry), required when the part is made, on
 *   the first request. Facts are code the explain form runs: with facts, the usual entry.
 * - knowledge-sync: where the seed folder is (used only when AIOS_KNOWLEDGE_SEED_DIR is not set).
 * (approval-reconcile reads none of the definition: its usual entry carries none.)
 *
 * When something cannot be written so (a `describe` whose tool is not exported on its own, data
 * that is not plain JSON), the function keeps its usual entry: it works, its bundle is larger.
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { toJsonSchema, toolForModel } from '../shared/agents/json-schema';
import { agentPrice } from '../shared/agents/prices';
import { consoleSlice } from '../shared/console/console-slice';
import { packGraph, unpackGraph } from '../shared/console/packed-graph';
import { compiledParts, withCompiledParts } from '../shared/console/packed-rules';
import { compileRules } from '../shared/rights/compiled-rules';
import { fieldPaths } from '../shared/rights/expression';
import type { ValidOs } from '../shared/definition';
import { SYSTEM_FUNCTION_SPECS } from '../shared/deployment/function-specs';
import { definitionModules, importPath, locateTool, ENTRIES_DIR, ENVIRONMENT_MODULE, writeIfChanged, type ToolEntryOptions } from './tool-entries';
import { dataSource } from './data-source';
import { webhookIngestEntry } from './webhook-entry';

/** Where a function's knowledge base comes from: the composition module, its factory with embeddings and without (from `withoutModule` when given). */
interface KnowledgeFactory {
  module: string;
  withEmbeddings: string;
  without: string;
  withoutModule?: string;
}

/** The system functions given an entry of their own, and the handler factory each entry calls. */
const FACTORIES = {
  // The agent step only searches knowledge: the reader, without an embeddings provider unless the deployment has an embeddings model.
  'agent-step': {
    module: 'functions/agent-step/agent-step-function.ts',
    factory: 'agentStepHandler',
    knowledge: { module: 'shared/composition/knowledge-reader.ts', withEmbeddings: 'knowledgeReader', without: 'knowledgeReaderWithoutEmbeddings' },
  },
  'tool-gate': { module: 'functions/tool-gate/gate-function.ts', factory: 'gateWithoutFactsHandler' },
  'approval-request': { module: 'functions/approval-request/approval-request-function.ts', factory: 'approvalRequestHandler' },
  'approval-http': { module: 'functions/approval-http/approval-http-function.ts', factory: 'approvalHttpHandler' },
  // These two also take the knowledge base, each from its composition module: the factory with embeddings (and so the Bedrock
  // client) only when the deployment has an embeddings model. The sync only writes, so it takes the writer, without the search index.
  // The console without embeddings searches, lists and retires (the curator), as the agent step searches: none of the write path.
  // The console reads its part on its first request (functions/console/console-function.ts): its entry makes the data then,
  // so the Lambda's cold load does not build the 25 KB of it (about 0.5 ms).
  console: {
    module: 'functions/console/console-function.ts',
    factory: 'consoleHandler',
    onFirstRequest: true,
    knowledge: {
      module: 'shared/composition/knowledge.ts',
      withEmbeddings: 'knowledgeStore',
      without: 'knowledgeCuratorWithoutEmbeddings',
      withoutModule: 'shared/composition/knowledge-curator.ts',
    },
  },
  'knowledge-sync': {
    module: 'functions/knowledge-sync/knowledge-sync-function.ts',
    factory: 'knowledgeSyncHandler',
    knowledge: { module: 'shared/composition/knowledge-writer.ts', withEmbeddings: 'knowledgeWriter', without: 'knowledgeWriterWithoutEmbeddings' },
  },
} as const;

export interface SystemEntryOptions extends ToolEntryOptions {
  /** The deployment's Bedrock embeddings model (settings.embeddingsModel): only then do the knowledge functions carry the Bedrock client. */
  embeddingsModel?: string;
}

type SlicedFunction = keyof typeof FACTORIES;

/**
 * A function's part as source: what its entry imports and the part, and a module written beside the entry that the
 * part requires when it is made (only where that is on the first request: the console's tools).
 */
interface SliceSource {
  imports: string[];
  expression: string;
  module?: { name: string; source: string };
}

/**
 * The console's tools, each with its input schema and `describe`, in a module the console requires when it makes its part
 * (on its first request): building the tools' schemas while the Lambda loaded cost 5.8 M instructions of its cold load (about
 * 2 ms of CPU). One module loaded on first use, so esbuild wraps it and every module it imports, zod included, to initialise
 * them then: 1.5 KB for the example's tools.
 */
const CONSOLE_TOOLS = 'console-tools';

function plainJson(value: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value);
}

/** The export, among these modules, that declares this agent (found by its output schema). */
function locateAgent(agent: ValidOs['agents'][number], modules: readonly string[]): { file: string; exportName: string } | undefined {
  for (const file of modules) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(file) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(exports)) {
      const declared = value as { id?: unknown; output?: unknown } | null;
      if (declared && typeof declared === 'object' && declared.id === agent.id && declared.output === agent.output) return { file, exportName };
    }
  }
  return undefined;
}

/** The agents with their output schemas imported and their prices settled (no price table at run time), their tools as JSON Schema. */
function agentStepSlice(os: ValidOs, modules: readonly string[], entryDir: string): { imports: string[]; expression: string } | undefined {
  const imports: string[] = [];
  const agents: string[] = [];
  for (const agent of os.agents) {
    const { output, ...data } = agent;
    if (!plainJson(data)) return undefined;
    const priced = { ...data, price: agentPrice(agent, os.prices) };
    if (!output) {
      agents.push(dataSource(priced));
      continue;
    }
    const declared = locateAgent(agent, modules);
    if (!declared) return undefined;
    const local = `agent${imports.length}`;
    imports.push(`import { ${declared.exportName} as ${local} } from ${JSON.stringify(importPath(entryDir, declared.file))};`);
    // The answer's JSON Schema is written as data: the step states it in the prompt without zod's converter.
    agents.push(`{ ...${dataSource({ ...priced, outputSchema: toJsonSchema(output) })}, output: ${local}.output }`);
  }
  const used = new Set(os.agents.flatMap((a) => a.tools));
  const tools = os.tools.filter((t) => used.has(t.id)).map(toolForModel);
  const rest = { tools };
  if (!plainJson(rest)) return undefined;
  return { imports, expression: `{ ...${dataSource(rest)}, agents: [${agents.join(', ')}] }` };
}

/** Each tool of `os` as `{ id, sideEffect, input, describe }`, its schema and `describe` imported from its module. */
function toolsWithSchemas(os: ValidOs, modules: readonly string[], entryDir: string): { imports: string[]; expressions: string[] } | undefined {
  const imports: string[] = [];
  const expressions: string[] = [];
  for (const tool of os.tools) {
    const declared = locateTool(tool, modules);
    if (!declared) return undefined;
    // A definition may give a declared tool another `describe` ({ ...tool, describe }): then the export's is not the one.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = (require(declared.file) as Record<string, { describe?: unknown }>)[declared.exportName];
    if (exported.describe !== tool.describe) return undefined;
    const local = `tool${imports.length}`;
    imports.push(`import { ${declared.exportName} as ${local} } from ${JSON.stringify(importPath(entryDir, declared.file))};`);
    const data = dataSource({ id: tool.id, sideEffect: tool.sideEffect });
    expressions.push(`{ ...${data}, input: ${local}.input${tool.describe ? `, describe: ${local}.describe` : ''} }`);
  }
  return { imports, expressions };
}

/** The console's part (shared/console/console-slice.ts): data, and each tool's schema and `describe` imported. */
function consoleSliceSource(os: ValidOs, modules: readonly string[], entryDir: string): SliceSource | undefined {
  if (Object.keys(os.facts).length > 0) return undefined;
  const { tools, workflows, compiledRules, ...data } = consoleSlice(os);
  if (!plainJson(data) || !plainJson(workflows) || !plainJson(compiledRules) || tools.length !== os.tools.length) return undefined;
  // Each rule once, with what compiling added beside it (shared/console/packed-rules.ts), when that joins back to the compiled rules.
  const parts = compiledParts(compiledRules);
  if (!isDeepStrictEqual(withCompiledParts(data.rules, parts), compiledRules)) return undefined;
  const declared = toolsWithSchemas(os, modules, entryDir);
  if (!declared) return undefined;
  // Graphs as tuples (shared/console/packed-graph.ts), unpacked when a page first draws one; packed only when that gives each back.
  const packed = workflows.map((w) => ({ ...w, graph: packGraph(w.graph) }));
  if (!workflows.every((w, i) => isDeepStrictEqual(unpackGraph(packed[i].graph), w.graph))) return undefined;
  const unpack = path.join(__dirname, '..', 'shared/console/packed-graph.ts');
  const join = path.join(__dirname, '..', 'shared/console/packed-rules.ts');
  const slice = `{ ...${dataSource(data)}, workflows: ${dataSource(packed)}.map(withUnpackedGraph), tools: require("./${CONSOLE_TOOLS}").tools }`;
  return {
    imports: [
      `import { withUnpackedGraph } from ${JSON.stringify(importPath(entryDir, unpack))};`,
      `import { withCompiledRules } from ${JSON.stringify(importPath(entryDir, join))};`,
    ],
    expression: `withCompiledRules(${slice}, ${dataSource(parts)})`,
    module: { name: CONSOLE_TOOLS, source: [...declared.imports, '', `export const tools = [${declared.expressions.join(', ')}];`].join('\n') },
  };
}

/** The part of the definition a function reads, as a JS expression; undefined when it cannot be written as data and imports. */
function definitionSlice(id: SlicedFunction, os: ValidOs, modules: readonly string[], entryDir: string): SliceSource | undefined {
  if (id === 'agent-step') return agentStepSlice(os, modules, entryDir);
  if (id === 'console') return consoleSliceSource(os, modules, entryDir);
  if (id === 'knowledge-sync') return { imports: [], expression: dataSource({ knowledge: { seedDir: os.knowledge.seedDir } }) };
  if (id === 'tool-gate') {
    if (Object.keys(os.facts).length > 0) return undefined;
    const rules = compileRules(os.rules, os.people);
    // The entry's handler carries no fact code: a rule reading a fact (one the definition lacks) keeps the usual entry, which denies its calls.
    if (rules.some((r) => r.whenExpression && fieldPaths(r.whenExpression).some((f) => f.startsWith('facts.')))) return undefined;
    const data = {
      rules,
      tools: os.tools.map((t) => ({ id: t.id, sideEffect: t.sideEffect })),
      agents: os.agents.map((a) => ({ id: a.id, tools: a.tools })),
      lists: os.lists,
    };
    return plainJson(data) ? { imports: [], expression: dataSource(data) } : undefined;
  }
  const people = os.people.map((p) => ({ id: p.id, name: p.name, email: p.email, roles: p.roles }));
  if (id === 'approval-http') return plainJson(people) ? { imports: [], expression: dataSource({ people }) } : undefined;
  const data = { people, rules: os.rules.flatMap((r) => (r.description ? [{ id: r.id, description: r.description }] : [])) };
  if (!plainJson(data)) return undefined;
  const imports: string[] = [];
  const describers: string[] = [];
  for (const tool of os.tools.filter((t) => t.describe)) {
    const declared = locateTool(tool, modules);
    if (!declared) return undefined;
    const local = `tool${imports.length}`;
    imports.push(`import { ${declared.exportName} as ${local} } from ${JSON.stringify(importPath(entryDir, declared.file))};`);
    describers.push(`{ id: ${JSON.stringify(tool.id)}, describe: ${local}.describe }`);
  }
  return { imports, expression: `{ ...${dataSource(data)}, tools: [${describers.join(', ')}] }` };
}

/** Each sliced system function's entry: its own generated one, or its usual entry when the definition cannot be sliced. */
export function systemFunctionEntries(os: ValidOs, options: SystemEntryOptions): Map<string, { entry: string; ownEntry: boolean }> {
  const modules = definitionModules(options.definitionModule, options.projectRoot);
  const dir = path.join(options.projectRoot, ENTRIES_DIR);
  const entries = new Map<string, { entry: string; ownEntry: boolean }>();
  for (const id of Object.keys(FACTORIES) as SlicedFunction[]) {
    const slice = definitionSlice(id, os, modules, dir);
    if (!slice) {
      entries.set(id, { entry: path.join(options.projectRoot, SYSTEM_FUNCTION_SPECS[id].entry), ownEntry: false });
      continue;
    }
    const spec = FACTORIES[id];
    const { module, factory } = spec;
    const knowledge: KnowledgeFactory | undefined = 'knowledge' in spec ? spec.knowledge : undefined;
    const store = knowledge && (options.embeddingsModel ? knowledge.withEmbeddings : `${knowledge.without} as ${knowledge.withEmbeddings}`);
    const knowledgeModule = knowledge && (options.embeddingsModel ? knowledge.module : (knowledge.withoutModule ?? knowledge.module));
    const onFirstRequest = 'onFirstRequest' in spec && spec.onFirstRequest;
    const part = onFirstRequest ? '(made ??= definition())' : 'definition';
    const source = [
      `// The function ${id}, generated at synth by infra/definition-entries.ts: the part of the definition it reads, as data.`,
      `import { ${factory} } from ${JSON.stringify(importPath(dir, path.join(options.projectRoot, module)))};`,
      `import { parseEnvironment } from ${JSON.stringify(importPath(dir, path.join(options.projectRoot, ENVIRONMENT_MODULE)))};`,
      ...(knowledge ? [`import { ${store} } from ${JSON.stringify(importPath(dir, path.join(options.projectRoot, knowledgeModule!)))};`] : []),
      ...slice.imports,
      '',
      ...(onFirstRequest
        ? [`const definition = () => ${slice.expression};`, 'let made: ReturnType<typeof definition> | undefined;']
        : [`const definition = ${slice.expression};`]),
      '',
      `export const handler = ${factory}(parseEnvironment(process.env), () => ${part}${knowledge ? `, ${knowledge.withEmbeddings}` : ''});`,
      '',
    ].join('\n');
    if (slice.module) {
      const header = `// Required by the function ${id}'s entry when it makes its part, generated at synth by infra/definition-entries.ts.`;
      writeIfChanged(path.join(dir, `${slice.module.name}.ts`), `${header}\n${slice.module.source}\n`);
    }
    const entry = path.join(dir, `${id}.ts`);
    writeIfChanged(entry, source);
    entries.set(id, { entry, ownEntry: true });
  }
  // Not a part of the definition, but chosen by it: the webhook vendors its triggers listen for (infra/webhook-entry.ts).
  entries.set('webhook-ingest', webhookIngestEntry(os, options.projectRoot));
  return entries;
}
