import { parseEnvironment } from '../../../shared/composition/environment';
import { knowledgeReader, knowledgeReaderWithoutEmbeddings, knowledgeSearchPortWithoutEmbeddings } from '../../../shared/composition/knowledge-reader';
import { knowledgeRememberPortWithoutEmbeddings, knowledgeWriter, knowledgeWriterWithoutEmbeddings } from '../../../shared/composition/knowledge-writer';
import { BlendingReader } from '../../../shared/knowledge/blending-reader';
import { KnowledgeReader } from '../../../shared/knowledge/reader';
import { KnowledgeWriter } from '../../../shared/knowledge/writer';

const env = (vars: Record<string, string> = {}) => parseEnvironment({ AWS_REGION: 'us-east-1', AIOS_TABLE_KNOWLEDGE: 'kb-rw', ...vars });

test('one reader and one writer per knowledge table, kept across calls so a warm function keeps its index', () => {
  const reader = knowledgeReaderWithoutEmbeddings(env());
  expect(reader).toBeInstanceOf(KnowledgeReader);
  expect(reader).not.toHaveProperty('putDocument');
  expect(knowledgeReaderWithoutEmbeddings(env({ AIOS_EMBEDDINGS: 'off' }))).toBe(reader);
  expect(knowledgeReaderWithoutEmbeddings(env({ AIOS_TABLE_KNOWLEDGE: 'kb-other' }))).not.toBe(reader);
  const writer = knowledgeWriterWithoutEmbeddings(env());
  expect(writer).toBeInstanceOf(KnowledgeWriter);
  expect(writer).not.toHaveProperty('search');
  expect(knowledgeWriterWithoutEmbeddings(env())).toBe(writer);
  // With embeddings: one per settings, so a changed model or weight gets its own.
  const openai = env({ AIOS_EMBEDDINGS: 'openai', AIOS_EMBEDDINGS_URL: 'http://127.0.0.1:9/v1' });
  expect(knowledgeReader(openai)).toBe(knowledgeReader(openai));
  expect(knowledgeReader(openai)).toBeInstanceOf(BlendingReader);
  expect(reader).not.toBeInstanceOf(BlendingReader);
  expect(knowledgeReader(openai)).not.toBe(knowledgeReader(env({ AIOS_EMBEDDINGS: 'openai', AIOS_EMBEDDINGS_URL: 'http://127.0.0.1:9/v2' })));
  expect(knowledgeWriter(openai)).not.toBe(writer);
});

test('the embeddings-free factories refuse an environment that turns embeddings on', () => {
  for (const make of [
    knowledgeReaderWithoutEmbeddings,
    knowledgeWriterWithoutEmbeddings,
    knowledgeSearchPortWithoutEmbeddings,
    knowledgeRememberPortWithoutEmbeddings,
  ]) {
    expect(() => make(env({ AIOS_EMBEDDINGS: 'bedrock' }))).toThrow(
      expect.objectContaining({ code: 'Knowledge.Embeddings', message: expect.stringContaining('built without embeddings') }),
    );
  }
});

test("a search function's knowledge port cannot remember, a remember function's cannot search", async () => {
  const provenance = { runId: 'r', agentId: 'a', at: '2025-01-01T00:00:00Z' };
  await expect(knowledgeSearchPortWithoutEmbeddings(env()).remember({ namespace: 'support', text: 'A fact.', provenance })).rejects.toMatchObject({
    name: 'Tool.PortNotGranted',
    message: expect.stringContaining('knowledge.remember'),
  });
  await expect(knowledgeRememberPortWithoutEmbeddings(env()).search({ query: 'refunds' })).rejects.toMatchObject({
    name: 'Tool.PortNotGranted',
    message: expect.stringContaining('knowledge.search'),
  });
});
