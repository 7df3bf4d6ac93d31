/**
 * The tool gate and the approval functions bundle the part of the definition
 * they read, written as data at synth, instead of the whole definition.
 */
import { bundledInputs } from '../support/bundled-inputs';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import exampleOs from '../../examples/kestrel-coffee';
import { loadValidOs } from '../../shared/definition';
import { systemFunctionEntries } from '../../infra/definition-entries';
import { toJsonSchema } from '../../shared/agents/json-schema';
import { consoleSlice } from '../../shared/console/console-slice';
import { withUnpackedGraph } from '../../shared/console/packed-graph';
import { withCompiledRules, type CompiledParts } from '../../shared/console/packed-rules';
import { compileRules } from '../../shared/rights/compiled-rules';
import { decisionRulesSchema } from '../../shared/rights/rule-schema';

const root = path.join(__dirname, '../..');
const os = loadValidOs(exampleOs);
const options = { projectRoot: root, definitionModule: 'examples/kestrel-coffee/index.ts' };

jest.setTimeout(120_000);

test('the gate reads the rules compiled, the tools and agents as data: no tool code, no workflow, no classic zod, no rule parser', async () => {
  const entry = systemFunctionEntries(os, options).get('tool-gate')!;
  expect(entry.ownEntry).toBe(true);
  const source = readFileSync(entry.entry, 'utf8');
  expect(source).toContain(`"id":"${os.rules[0].id}"`);
  expect(source).toContain('{"id":"refunds.issue","sideEffect":"external"}');
  const inputs = await bundledInputs(entry.entry);
  for (const excluded of [
    'examples/kestrel-coffee/tools/refunds.ts',
    'examples/kestrel-coffee/tools/tickets.ts',
    'examples/kestrel-coffee/tools/crm.ts',
    'shared/tools/builtins/knowledge-search.ts',
    'shared/tools/builtins/knowledge-remember.ts',
    'shared/definition/validate.ts',
    'examples/kestrel-coffee/workflows/support-desk.ts',
  ]) {
    expect(inputs).not.toContain(excluded);
  }
  expect(inputs.filter((i) => i.includes('zod/v4/classic'))).toEqual([]);
  expect(inputs.filter((i) => i.includes('to-json-schema') || i.includes('json-schema-processors'))).toEqual([]);
  // `when` parsed and approvers resolved at synth; no fact code (the rules read none); no explanations (the gate keeps none).
  for (const excluded of [
    'shared/rights/expression/parser.ts',
    'shared/rights/expression/tokenizer.ts',
    'shared/rights/approvers.ts',
    'shared/rights/duration.ts',
    'shared/rights/evaluate-with-facts.ts',
    'shared/rights/rule-trace.ts',
  ]) {
    expect(inputs).not.toContain(excluded);
  }
});

test("approval-request imports each tool's describe from the module that declares it, and nothing else of the definition", async () => {
  const entry = systemFunctionEntries(os, options).get('approval-request')!;
  expect(entry.ownEntry).toBe(true);
  expect(readFileSync(entry.entry, 'utf8')).toContain('import { issueRefund as tool0 } from "../../examples/kestrel-coffee/tools/refunds"');
  const inputs = await bundledInputs(entry.entry);
  expect(inputs).toContain('examples/kestrel-coffee/tools/refunds.ts');
  expect(inputs).not.toContain('shared/tools/builtins/knowledge-search.ts');
  expect(inputs).not.toContain('shared/definition/validate.ts');
  expect(inputs.filter((i) => i.includes('zod/v4/classic'))).toEqual([]);
});

test('approval-http reads the people only: each approval stores the sentence it asks about, so no tool code is carried', async () => {
  const entry = systemFunctionEntries(os, options).get('approval-http')!;
  expect(entry.ownEntry).toBe(true);
  const source = readFileSync(entry.entry, 'utf8');
  expect(source).toContain(`"id":"${os.people[0].id}"`);
  expect(source).not.toContain('kestrel-coffee/tools/');
  const inputs = await bundledInputs(entry.entry);
  expect(inputs.filter((i) => i.startsWith('examples/kestrel-coffee/tools/'))).toEqual([]);
  expect(inputs).not.toContain('shared/definition/validate.ts');
  expect(inputs.filter((i) => i.includes('zod/v4/classic'))).toEqual([]);
});

test('a definition with facts keeps the gate on its usual entry (facts are code the gate runs)', () => {
  const withFacts = { ...os, facts: { vip: { description: 'the customer is a VIP', type: 'boolean' as const, of: () => true } } };
  expect(systemFunctionEntries(withFacts, options).get('tool-gate')).toEqual({ entry: path.join(root, 'functions/tool-gate/index.ts'), ownEntry: false });
});

test('rules that read a fact, or whose compiled form JSON cannot carry, keep the gate on its usual entry', () => {
  // Entries written under a directory of their own: other suites bundle the example's at the same time.
  const elsewhere = { projectRoot: mkdtempSync(path.join(tmpdir(), 'aios-gate-entry-')), definitionModule: path.join(root, options.definitionModule) };
  const usual = { entry: path.join(elsewhere.projectRoot, 'functions/tool-gate/index.ts'), ownEntry: false };
  // The webhook entry, written alongside, finds the vendors' modules under the project's events/.
  symlinkSync(path.join(root, 'events'), path.join(elsewhere.projectRoot, 'events'));
  const withRule = (when: string) => ({ ...os, rules: [...decisionRulesSchema.parse([{ id: 'edge', tool: '*', when, outcome: 'deny' }]), ...os.rules] });
  try {
    expect(systemFunctionEntries(withRule('facts.vip == true'), elsewhere).get('tool-gate')).toEqual(usual);
    // 1e999 is Infinity, which JSON writes as null: the rule would decide otherwise.
    expect(systemFunctionEntries(withRule('amount > 1e999'), elsewhere).get('tool-gate')).toEqual(usual);
    const quoted = withRule('reason == "</script> \\" \u2028"');
    const entry = systemFunctionEntries(quoted, elsewhere).get('tool-gate')!;
    expect(entry.ownEntry).toBe(true);
    // The line holds a U+2028, which `.` does not match without the s flag.
    const data = JSON.parse(/const definition = (.*?);\n\nexport/s.exec(readFileSync(entry.entry, 'utf8'))![1]) as { rules: unknown };
    expect(data.rules).toEqual(JSON.parse(JSON.stringify(compileRules(quoted.rules, os.people))));
  } finally {
    rmSync(elsewhere.projectRoot, { recursive: true, force: true });
  }
});

test('the part written as data is what the definition holds', async () => {
  const entry = systemFunctionEntries(os, options).get('tool-gate')!;
  const source = readFileSync(entry.entry, 'utf8');
  const data = JSON.parse(/const definition = (.*);\n/.exec(source)![1]) as { rules: unknown; lists: unknown; agents: { id: string; tools: string[] }[] };
  // Compiled at synth: each `when` parsed, each approval plan resolved (test/unit/rights/compiled-rules.test.ts: decided alike).
  expect(data.rules).toEqual(JSON.parse(JSON.stringify(compileRules(os.rules, os.people))));
  expect(data.lists).toEqual(os.lists);
  expect(data.agents).toEqual(os.agents.map((a) => ({ id: a.id, tools: a.tools })));
});

test("the agent step imports each agent's output schema from its module and reads its tools and answers as JSON Schema: no tool handler, no classic zod, no converter", async () => {
  const entry = systemFunctionEntries(os, options).get('agent-step')!;
  expect(entry.ownEntry).toBe(true);
  const source = readFileSync(entry.entry, 'utf8');
  expect(source).toContain('import { triage as agent0 } from "../../examples/kestrel-coffee/agents/triage"');
  expect(source).toContain('"inputSchema":{"type":"object"');
  // The answer's JSON Schema is written at synth, as the prompt states it.
  expect(source).toContain(`${JSON.stringify({ outputSchema: toJsonSchema(os.agents.find((a) => a.id === 'triage')!.output!) }).slice(1, -1)}`);
  const inputs = await bundledInputs(entry.entry);
  expect(inputs).toContain('examples/kestrel-coffee/agents/triage.ts');
  for (const excluded of [
    'examples/kestrel-coffee/tools/refunds.ts',
    'examples/kestrel-coffee/tools/tickets.ts',
    'examples/kestrel-coffee/tools/crm.ts',
    'shared/tools/builtins/email-send.ts',
    'shared/definition/validate.ts',
    'shared/agents/converse-shapes.ts',
  ]) {
    expect(inputs).not.toContain(excluded);
  }
  expect(inputs.filter((i) => i.includes('zod/v4/classic'))).toEqual([]);
});

test("the console reads its part as data made by consoleSlice (as the local runtime does), each tool's schema and describe required when the part is made: no dagre, compiler, planner, expression parser or classic zod", async () => {
  const entry = systemFunctionEntries(os, options).get('console')!;
  expect(entry.ownEntry).toBe(true);
  const source = readFileSync(entry.entry, 'utf8');
  const toolsPart = String.raw`tools: require\("\.\/console-tools"\)\.tools`;
  const made = new RegExp(
    String.raw`const definition = \(\) => withCompiledRules\(\{ \.\.\.(.*), workflows: (.*)\.map\(withUnpackedGraph\), ${toolsPart} \}, (.*)\);`,
  );
  const [, rest, packed, parts] = made.exec(source)!;
  const data = withCompiledRules(
    {
      ...(JSON.parse(rest) as { rules: Parameters<typeof withCompiledRules>[0]['rules'] }),
      workflows: (JSON.parse(packed) as Parameters<typeof withUnpackedGraph>[0][]).map(withUnpackedGraph),
    },
    JSON.parse(parts) as CompiledParts[],
  );
  const { tools, ...expected } = consoleSlice(os);
  expect(data).toEqual(JSON.parse(JSON.stringify(expected)));
  expect(tools.map((t) => t.id)).toEqual(os.tools.map((t) => t.id));
  // The tools' module is required when the part is made (on the first request), so the Lambda's load builds none of their schemas.
  expect(source).not.toMatch(/^import .*tools\//m);
  const toolsModule = path.join(path.dirname(entry.entry), 'console-tools.ts');
  expect(readFileSync(toolsModule, 'utf8')).toContain('{ ...{"id":"refunds.issue","sideEffect":"external"}, input: tool5.input, describe: tool5.describe }');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const required = (require(toolsModule) as { tools: { id: string; input: unknown; describe?: unknown }[] }).tools;
  expect(required.map((t) => [t.id, t.input, t.describe])).toEqual(tools.map((t) => [t.id, t.input, t.describe]));
  expect(required.every((t, i) => t.input === tools[i].input && t.describe === tools[i].describe)).toBe(true);
  const inputs = await bundledInputs(entry.entry);
  for (const excluded of [
    'shared/definition/validate.ts',
    'shared/compiler/compile-workflow.ts',
    'shared/deployment/deployment-plan.ts',
    'shared/console/graph-layout.ts',
    'shared/console/console-slice.ts',
    // The explain form evaluates the rules compiled at synth: no expression parser.
    'shared/rights/expression/parser.ts',
    'examples/kestrel-coffee/workflows/support-desk.ts',
    'examples/kestrel-coffee/index.ts',
  ]) {
    expect(inputs).not.toContain(excluded);
  }
  // zod is initialised when the tools' module is (on the first request), so each of its modules keeps an initialiser, empty where its code was dropped.
  const withCode = await bundledInputs(entry.entry, { minBytes: 32 });
  expect(withCode.filter((i) => /zod\/v4\/classic|@dagrejs|to-json-schema/.test(i))).toEqual([]);
  // The SDK clients it uses: runs (Step Functions), rules and schedules (EventBridge, Scheduler), tables, the audit key, sign-in email.
  const clients = [...new Set(inputs.flatMap((i) => /@aws-sdk\/(client-[a-z0-9-]+)\//.exec(i)?.[1] ?? []))].sort();
  expect(clients).toEqual(['client-dynamodb', 'client-eventbridge', 'client-scheduler', 'client-secrets-manager', 'client-sesv2', 'client-sfn']);
});

test('a definition with facts keeps the console on its usual entry (the explain form runs them)', () => {
  const withFacts = { ...os, facts: { vip: { description: 'the customer is a VIP', type: 'boolean' as const, of: () => true } } };
  expect(systemFunctionEntries(withFacts, options).get('console')).toEqual({ entry: path.join(root, 'functions/console/index.ts'), ownEntry: false });
});

test('the knowledge seed sync reads where the seed is; the reconciler reads nothing of the definition', async () => {
  const entry = systemFunctionEntries(os, options).get('knowledge-sync')!;
  expect(entry.ownEntry).toBe(true);
  expect(readFileSync(entry.entry, 'utf8')).toContain(`const definition = {"knowledge":{"seedDir":"${os.knowledge.seedDir}"}};`);
  // It only writes: the knowledge writer, no search index, no embeddings provider for a deployment without embeddings.
  const sync = await bundledInputs(entry.entry);
  expect(sync).toContain('shared/knowledge/writer.ts');
  expect(sync.filter((i) => /knowledge\/(reader|bm25|namespace-index|embeddings-config|openai-embeddings)\.ts/.test(i))).toEqual([]);
  const reconcile = path.join(root, 'functions/approval-reconcile/index.ts');
  for (const inputs of [await bundledInputs(entry.entry), await bundledInputs(reconcile)]) {
    expect(inputs.filter((i) => /shared\/definition\/|examples\/kestrel-coffee|zod\/v4\/classic/.test(i))).toEqual([]);
  }
});

test('the knowledge functions carry the Bedrock client only for a deployment with an embeddings model', async () => {
  const imports = {
    console: 'import { knowledgeCuratorWithoutEmbeddings as knowledgeStore } from "../../shared/composition/knowledge-curator"',
    'knowledge-sync': 'import { knowledgeWriterWithoutEmbeddings as knowledgeWriter } from "../../shared/composition/knowledge-writer"',
  };
  for (const [id, line] of Object.entries(imports)) {
    const without = systemFunctionEntries(os, options).get(id)!;
    expect(readFileSync(without.entry, 'utf8')).toContain(line);
    expect((await bundledInputs(without.entry)).filter((i) => i.includes('client-bedrock-runtime'))).toEqual([]);
  }
  // The console without embeddings searches, lists and retires: none of the write path, no embeddings provider.
  const consoleInputs = await bundledInputs(systemFunctionEntries(os, options).get('console')!.entry);
  expect(consoleInputs.filter((i) => /knowledge\/(version-writer|chunking|writer|embeddings-config|openai-embeddings|blending-reader)\.ts/.test(i))).toEqual(
    [],
  );
  expect(consoleInputs).toContain('shared/knowledge/version-finish.ts');
  const withEmbeddings = systemFunctionEntries(os, { ...options, embeddingsModel: 'amazon.titan-embed-text-v2:0' }).get('knowledge-sync')!;
  expect(readFileSync(withEmbeddings.entry, 'utf8')).toContain('import { knowledgeWriter } from "../../shared/composition/knowledge-writer"');
  expect((await bundledInputs(withEmbeddings.entry)).some((i) => i.includes('client-bedrock-runtime'))).toBe(true);
  // Back to the example deployment's entries for the other tests.
  systemFunctionEntries(os, options);
});
