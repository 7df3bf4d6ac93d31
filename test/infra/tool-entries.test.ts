/**
 * Each tool function gets an entry of its own: the module that declares its
 * tool and the tool runner, so its bundle carries no other tool's code, SDK
 * client or classic zod.
 */
import { bundledInputs } from '../support/bundled-inputs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import exampleOs from '../../examples/kestrel-coffee';
import { loadValidOs } from '../../shared/definition';
import { TOOL_RUN_ENTRY } from '../../shared/deployment/function-specs';
import { definitionModules, locateTool, toolFunctionEntries } from '../../infra/tool-entries';

const root = path.join(__dirname, '../..');
const os = loadValidOs(exampleOs);

jest.setTimeout(120_000);

test('every example tool is found in the module that declares it', () => {
  const modules = definitionModules('examples/kestrel-coffee/index.ts', root);
  const refunds = locateTool(
    os.tools.find((t) => t.id === 'refunds.issue')!,
    modules,
  );
  expect(refunds).toEqual({ file: path.join(root, 'examples/kestrel-coffee/tools/refunds.ts'), exportName: 'issueRefund' });
  // Declared with a config of the business's own ({ ...httpRequest, config }): found by its handler, the config comes from the definition.
  const http = locateTool(
    os.tools.find((t) => t.id === 'http.request')!,
    modules,
  );
  expect(http).toEqual({ file: path.join(root, 'shared/tools/builtins/http-request.ts'), exportName: 'httpRequest' });
});

test('each tool function has its own entry, carrying its validated data', () => {
  const entries = toolFunctionEntries(os, { projectRoot: root, definitionModule: 'examples/kestrel-coffee/index.ts' });
  expect([...entries.keys()].sort()).toEqual(os.tools.map((t) => t.id).sort());
  for (const { ownEntry } of entries.values()) expect(ownEntry).toBe(true);
  const http = readFileSync(entries.get('http.request')!.entry, 'utf8');
  expect(http).toContain('import { httpRequest as declared } from "../../shared/tools/builtins/http-request"');
  expect(http).toContain('"allowedHosts":["api.kestrel.coffee"]');
  // The entry writes only what the export does not hold already; spread over the export, it is the validated tool.
  const modules = definitionModules('examples/kestrel-coffee/index.ts', root);
  for (const tool of os.tools) {
    const source = readFileSync(entries.get(tool.id)!.entry, 'utf8');
    const written = JSON.parse(/\{ \.\.\.declared, \.\.\.(.*) \}, \[/.exec(source)![1]) as Record<string, unknown>;
    const { file, exportName } = locateTool(tool, modules)!;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handed = { ...(require(file) as Record<string, object>)[exportName], ...written } as Record<string, unknown>;
    for (const key of ['id', 'description', 'sideEffect', 'timeoutSeconds', 'idempotent', 'config', 'permissions'] as const)
      expect(handed[key]).toEqual(tool[key]);
    expect(handed.handler).toBe(tool.handler);
  }
  expect(readFileSync(entries.get('refunds.issue')!.entry, 'utf8')).not.toContain('Refund part or all of an order');
});

test('a tool no module exports on its own keeps the shared entry', () => {
  const inline = { ...os.tools[0], handler: async () => 'declared inline' };
  const entries = toolFunctionEntries({ ...os, tools: [inline] }, { projectRoot: root, definitionModule: 'examples/kestrel-coffee/index.ts' });
  expect(entries.get(inline.id)).toEqual({ entry: path.join(root, TOOL_RUN_ENTRY), ownEntry: false });
});

test("a tool's bundle carries its own module, not the other tools, the definition's validation or classic zod", async () => {
  const entries = toolFunctionEntries(os, { projectRoot: root, definitionModule: 'examples/kestrel-coffee/index.ts' });
  const inputs = await bundledInputs(entries.get('refunds.issue')!.entry);
  expect(inputs).toContain('examples/kestrel-coffee/tools/refunds.ts');
  for (const other of [
    'examples/kestrel-coffee/tools/tickets.ts',
    'examples/kestrel-coffee/tools/crm.ts',
    'shared/tools/builtins/email-send.ts',
    'shared/tools/builtins/knowledge-search.ts',
    'shared/tools/builtins/knowledge-remember.ts',
    'shared/definition/validate.ts',
    'examples/kestrel-coffee/workflows/support-desk.ts',
  ]) {
    expect(inputs).not.toContain(other);
  }
  expect(inputs.filter((i) => i.includes('zod/v4/classic'))).toEqual([]);
  expect(inputs.filter((i) => i.includes('@aws-sdk/client-sesv2'))).toEqual([]);
});

test("without embeddings a knowledge tool's bundle carries no Bedrock Runtime client; with them, the provider comes along in an entry of its own", async () => {
  const options = { projectRoot: root, definitionModule: 'examples/kestrel-coffee/index.ts' };
  const off = toolFunctionEntries(os, options).get('knowledge.search')!;
  const on = toolFunctionEntries(os, { ...options, embeddings: true }).get('knowledge.search')!;
  expect(on.entry).not.toBe(off.entry);
  expect(readFileSync(off.entry, 'utf8')).toContain('const ports = { knowledge: knowledgeSearchPortWithoutEmbeddings };');
  expect(readFileSync(on.entry, 'utf8')).toContain('const ports = { knowledge: knowledgeSearchPort };');
  const bedrock = (inputs: string[]) =>
    inputs.filter((i) => i.includes('@aws-sdk/client-bedrock-runtime') || i.includes('shared/knowledge/bedrock-embeddings'));
  expect(bedrock(await bundledInputs(off.entry))).toEqual([]);
  expect(bedrock(await bundledInputs(on.entry))).toContain('shared/knowledge/bedrock-embeddings.ts');
  // A tool without the knowledge port has one entry either way.
  expect(toolFunctionEntries(os, { ...options, embeddings: true }).get('refunds.issue')!.entry).toBe(
    toolFunctionEntries(os, options).get('refunds.issue')!.entry,
  );
});

test('the search tool carries the knowledge reader and no write code; the remember tool the write path and no search index', async () => {
  const entries = toolFunctionEntries(os, { projectRoot: root, definitionModule: 'examples/kestrel-coffee/index.ts' });
  const search = await bundledInputs(entries.get('knowledge.search')!.entry);
  const remember = await bundledInputs(entries.get('knowledge.remember')!.entry);
  expect(search).toEqual(expect.arrayContaining(['shared/knowledge/reader.ts', 'shared/tools/builtins/knowledge-search.ts']));
  expect(remember).toEqual(expect.arrayContaining(['shared/knowledge/version-writer.ts', 'shared/tools/builtins/knowledge-remember.ts']));
  // Built without embeddings: BM25 only, no vector blending.
  expect(search).not.toContain('shared/knowledge/blending-reader.ts');
  for (const writeCode of [
    'shared/knowledge/version-writer.ts',
    'shared/knowledge/writer.ts',
    'shared/knowledge/chunking.ts',
    'shared/tools/builtins/knowledge-remember.ts',
  ])
    expect(search).not.toContain(writeCode);
  // Remembering checks its request, not whole documents: no putDocument (writer.ts).
  for (const notRemembering of [
    'shared/knowledge/reader.ts',
    'shared/knowledge/bm25.ts',
    'shared/tools/builtins/knowledge-search.ts',
    'shared/knowledge/writer.ts',
  ])
    expect(remember).not.toContain(notRemembering);
  for (const inputs of [search, remember]) expect(inputs.filter((i) => /embeddings-config|openai-embeddings|bedrock-embeddings/.test(i))).toEqual([]);
});
