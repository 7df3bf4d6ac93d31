/**
 * Embeddings from any OpenAI-compatible `POST {baseUrl}/embeddings` endpoint
 * (OpenAI, Ollama, LM Studio, vLLM), through fetch. Texts go in batches.
 */
import type { Embedder } from './embeddings';
import { EmbeddingsError } from './errors';

export interface OpenAiEmbedderOptions {
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 */
  baseUrl: string;
  model: string;
  apiKey?: string;
  batchSize?: number;
  timeoutMs?: number;
}

export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  private readonly url: string;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
    this.model = `openai:${options.model}`;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const size = this.options.batchSize ?? 64;
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += size) out.push(...(await this.batch(texts.slice(i, i + size))));
    return out;
  }

  private async batch(texts: readonly string[]): Promise<Float32Array[]> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.options.model, input: texts }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new EmbeddingsError(`embeddings request to ${this.url} failed: ${(error as Error).message}`, { url: this.url }, error);
    }
    const text = await res.text();
    if (!res.ok)
      throw new EmbeddingsError(`embeddings endpoint ${this.url} answered ${res.status}: ${text.slice(0, 200)}`, { url: this.url, status: res.status });
    let data: unknown;
    try {
      data = (JSON.parse(text) as { data?: unknown }).data;
    } catch {
      throw new EmbeddingsError(`embeddings endpoint ${this.url} answered non-JSON`, { url: this.url });
    }
    if (!Array.isArray(data) || data.length !== texts.length) {
      throw new EmbeddingsError(`embeddings endpoint ${this.url} returned ${Array.isArray(data) ? data.length : 'no'} vectors for ${texts.length} inputs`, {
        url: this.url,
      });
    }
    const rows = data as { index?: number; embedding?: unknown }[];
    const ordered = rows.every((r) => typeof r.index === 'number') ? [...rows].sort((a, b) => (a.index as number) - (b.index as number)) : rows;
    return ordered.map((r) => {
      if (!Array.isArray(r.embedding) || r.embedding.some((x) => typeof x !== 'number')) {
        throw new EmbeddingsError(`embeddings endpoint ${this.url} returned a row without a number "embedding"`, { url: this.url });
      }
      return Float32Array.from(r.embedding as number[]);
    });
  }
}
