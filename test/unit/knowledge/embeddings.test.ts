/**
 * The two embeddings providers against HTTP servers on 127.0.0.1 that speak
 * their wire protocols (OpenAI `/embeddings`, Bedrock Runtime InvokeModel),
 * and the blended ranking they enable.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAwsClients } from '../../../shared/aws/clients';
import { BedrockEmbedder } from '../../../shared/knowledge/bedrock-embeddings';
import { decodeVector, encodeVector, cosine } from '../../../shared/knowledge/embeddings';
import { embedderFromEnv, embedderOf, vectorWeightFromEnv } from '../../../shared/knowledge/embeddings-config';
import { OpenAiEmbedder } from '../../../shared/knowledge/openai-embeddings';
import { KnowledgeStore } from '../../../shared/knowledge/store';
import { MemoryTable } from '../../../shared/storage/memory-table';

/** A toy semantic space: words map to concepts, so "Toronto" lands near "Canada" with no word in common. */
const CONCEPTS: Record<string, number> = { canada: 0, toronto: 0, vancouver: 0, montreal: 0, refund: 1, money: 1, espresso: 2, machine: 2, shot: 2 };
function conceptVector(text: string): number[] {
  const v = new Array(4).fill(0);
  for (const w of text.toLowerCase().split(/[^a-z]+/)) if (w in CONCEPTS) v[CONCEPTS[w]] += 1;
  v[3] = 0.01; // never the zero vector
  return v;
}

interface Recorded {
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

async function serve(handler: (r: Recorded) => { status?: number; body: unknown }): Promise<{ url: string; requests: Recorded[]; server: Server }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { url: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') };
      requests.push(r);
      const out = handler(r);
      res.writeHead(out.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

const openAiCompatible = () =>
  serve((r) => {
    const input = (r.body as { input: string[] }).input;
    // Rows come back reversed: the client must order them by `index`.
    return { body: { object: 'list', data: input.map((t, index) => ({ object: 'embedding', index, embedding: conceptVector(t) })).reverse() } };
  });

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('OpenAI-compatible embeddings', () => {
  test('posts the model and inputs, sends the key, returns vectors in input order, in batches', async () => {
    const fake = await openAiCompatible();
    servers.push(fake.server);
    const embedder = new OpenAiEmbedder({ baseUrl: `${fake.url}/v1/`, model: 'nomic-embed-text', apiKey: 'sk-test', batchSize: 2 });
    const vectors = await embedder.embed(['Toronto', 'refund money', 'espresso']);
    expect(vectors.map((v) => [...v].slice(0, 3))).toEqual([
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 1],
    ]);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]).toMatchObject({ url: '/v1/embeddings', body: { model: 'nomic-embed-text', input: ['Toronto', 'refund money'] } });
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-test');
    expect(embedder.model).toBe('openai:nomic-embed-text');
  });

  test('an error status becomes Knowledge.Embeddings with the status', async () => {
    const fake = await serve(() => ({ status: 503, body: { error: 'model loading' } }));
    servers.push(fake.server);
    await expect(new OpenAiEmbedder({ baseUrl: fake.url, model: 'm' }).embed(['x'])).rejects.toMatchObject({
      code: 'Knowledge.Embeddings',
      details: { status: 503 },
    });
  });
});

describe('Bedrock Titan Text Embeddings v2', () => {
  test('calls InvokeModel with inputText, dimensions and normalize through the client factory', async () => {
    const fake = await serve((r) => ({ body: { embedding: conceptVector((r.body as { inputText: string }).inputText), inputTextTokenCount: 3 } }));
    servers.push(fake.server);
    const clients = createAwsClients({ endpoint: fake.url, region: 'us-east-1' }, {});
    const embedder = new BedrockEmbedder({ clients, dimensions: 256 });
    const [v] = await embedder.embed(['Vancouver']);
    expect([...v].slice(0, 3)).toEqual([1, 0, 0]);
    expect(decodeURIComponent(fake.requests[0].url)).toBe('/model/amazon.titan-embed-text-v2:0/invoke');
    expect(fake.requests[0].body).toEqual({ inputText: 'Vancouver', dimensions: 256, normalize: true });
    expect(embedder.model).toBe('bedrock:amazon.titan-embed-text-v2:0:256');
  });

  test('a response without an embedding is a Knowledge.Embeddings error', async () => {
    const fake = await serve(() => ({ body: { message: 'nope' } }));
    servers.push(fake.server);
    const embedder = new BedrockEmbedder({ clients: createAwsClients({ endpoint: fake.url }, {}) });
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ code: 'Knowledge.Embeddings' });
  });
});

describe('configuration from the environment', () => {
  test('off by default; bedrock and openai by name; anything else is an error', () => {
    expect(embedderFromEnv({})).toBeNull();
    expect(embedderFromEnv({ AIOS_EMBEDDINGS: 'off' })).toBeNull();
    expect(embedderFromEnv({ AIOS_EMBEDDINGS: 'bedrock' })?.model).toBe('bedrock:amazon.titan-embed-text-v2:0:512');
    expect(
      embedderFromEnv({ AIOS_EMBEDDINGS: 'openai', AIOS_EMBEDDINGS_MODEL: 'nomic-embed-text', AIOS_EMBEDDINGS_URL: 'http://127.0.0.1:11434/v1' })?.model,
    ).toBe('openai:nomic-embed-text');
    expect(() => embedderFromEnv({ AIOS_EMBEDDINGS: 'cohere' })).toThrow(/must be bedrock, openai or off, got "cohere"/);
    expect(() => embedderFromEnv({ AIOS_EMBEDDINGS: 'bedrock', AIOS_EMBEDDINGS_DIMENSIONS: '300' })).toThrow(/256, 512 or 1024/);
    expect(vectorWeightFromEnv({})).toBe(0.5);
    expect(vectorWeightFromEnv({ AIOS_EMBEDDINGS_WEIGHT: '0.3' })).toBe(0.3);
    expect(() => vectorWeightFromEnv({ AIOS_EMBEDDINGS_WEIGHT: '2' })).toThrow(/0 to 1/);
  });

  test('a function bundled without the Bedrock client: off and OpenAI-compatible embeddings work, bedrock is a clear error', () => {
    expect(embedderOf({}, {})).toBeNull();
    expect(embedderOf({ AIOS_EMBEDDINGS: 'openai', AIOS_EMBEDDINGS_MODEL: 'm', AIOS_EMBEDDINGS_URL: 'http://127.0.0.1:1/v1' }, {})?.model).toBe('openai:m');
    expect(() => embedderOf({ AIOS_EMBEDDINGS: 'bedrock' }, {})).toThrow(/bundled without the Bedrock client/);
    const made: unknown[] = [];
    const fake = { model: 'fake', embed: async () => [] };
    expect(embedderOf({ AIOS_EMBEDDINGS: 'bedrock', AIOS_EMBEDDINGS_DIMENSIONS: '256' }, { bedrock: (o) => (made.push(o), fake) })).toBe(fake);
    expect(made).toEqual([{ modelId: 'amazon.titan-embed-text-v2:0', dimensions: 256 }]);
  });

  test('vectors survive the base64 encoding exactly', () => {
    const v = Float32Array.from([0.1, -2.5, 3e-8, 0]);
    expect(decodeVector(encodeVector(v))).toEqual(v);
    expect(cosine(v, v)).toBeCloseTo(1, 6);
    expect(cosine(v, new Float32Array(3))).toBe(0);
  });
});

describe('blended search', () => {
  const seed = (id: string, body: string) => ({ namespace: 'support', id, title: id, tags: [], body, source: { kind: 'seed' as const, path: `${id}.md` } });

  test('finds a semantically related chunk that shares no word with the query, and reports the similarity', async () => {
    const fake = await openAiCompatible();
    servers.push(fake.server);
    const table = new MemoryTable();
    const embedder = new OpenAiEmbedder({ baseUrl: fake.url, model: 'concepts' });
    const plain = new KnowledgeStore({ table });
    const blended = new KnowledgeStore({ table, embedder, vectorWeight: 0.5 });
    await blended.putDocument(seed('international', 'We ship coffee to Canada for a flat $12.95.'));
    await blended.putDocument(seed('refunds', 'Card refunds take 5 to 10 business days.'));
    expect(await plain.search({ query: 'Toronto' })).toEqual([]);
    const hits = await blended.search({ query: 'Toronto' });
    expect(hits[0]).toMatchObject({ docId: 'international', bm25: 0 });
    expect(hits[0].similarity).toBeGreaterThan(0.99);
    expect(hits[0].score).toBeCloseTo(0.5 * hits[0].similarity!, 6);
    // BM25 still counts: a query with words in both picks the lexical match first.
    expect((await blended.search({ query: 'card refunds Toronto' }))[0].docId).toBe('refunds');
  });

  test('a document stored without vectors is re-versioned once embeddings are configured', async () => {
    const fake = await openAiCompatible();
    servers.push(fake.server);
    const table = new MemoryTable();
    const doc = seed('international', 'We ship coffee to Canada.');
    expect((await new KnowledgeStore({ table }).putDocument(doc)).outcome).toBe('created');
    const blended = new KnowledgeStore({ table, embedder: new OpenAiEmbedder({ baseUrl: fake.url, model: 'concepts' }) });
    expect(await blended.putDocument(doc)).toMatchObject({ outcome: 'updated', document: { version: 2, vectorModel: 'openai:concepts' } });
    expect((await blended.putDocument(doc)).outcome).toBe('unchanged');
  });
});
