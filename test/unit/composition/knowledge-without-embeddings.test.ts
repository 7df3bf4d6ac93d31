import { parseEnvironment } from '../../../shared/composition/environment';
import { knowledgeStoreWithoutEmbeddings } from '../../../shared/composition/knowledge-without-embeddings';

test('one BM25 store per knowledge table; an environment that turns embeddings on is refused with a clear error', () => {
  const env = parseEnvironment({ AWS_REGION: 'us-east-1', AIOS_TABLE_KNOWLEDGE: 'kb-a' });
  const store = knowledgeStoreWithoutEmbeddings(env);
  expect(knowledgeStoreWithoutEmbeddings(env)).toBe(store);
  expect(knowledgeStoreWithoutEmbeddings(parseEnvironment({ AWS_REGION: 'us-east-1', AIOS_TABLE_KNOWLEDGE: 'kb-a', AIOS_EMBEDDINGS: 'off' }))).toBe(store);
  expect(() =>
    knowledgeStoreWithoutEmbeddings(parseEnvironment({ AWS_REGION: 'us-east-1', AIOS_TABLE_KNOWLEDGE: 'kb-a', AIOS_EMBEDDINGS: 'bedrock' })),
  ).toThrow(expect.objectContaining({ code: 'Knowledge.Embeddings', message: expect.stringContaining('built without embeddings') }));
});
