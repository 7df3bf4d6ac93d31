/**
 * Embeddings from Amazon Titan Text Embeddings v2 through Bedrock Runtime
 * `InvokeModel`. Titan takes one text per call, so a batch is sent with a
 * small concurrency limit rather than all at once (Bedrock throttles bursts).
 */
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { bedrockRuntimeClient } from '../aws/bedrock-runtime';
import type { AwsClients } from '../aws/clients';
import type { Embedder } from './embeddings';
import { EmbeddingsError } from './errors';

export const TITAN_EMBED_V2 = 'amazon.titan-embed-text-v2:0';

export interface BedrockEmbedderOptions {
  modelId?: string;
  /** Titan v2 accepts 256, 512 or 1024. */
  dimensions?: 256 | 512 | 1024;
  clients?: Pick<AwsClients, 'bedrockRuntime'>;
  concurrency?: number;
}

export class BedrockEmbedder implements Embedder {
  readonly model: string;
  private readonly modelId: string;
  private readonly dimensions: number;
  private readonly clients: Pick<AwsClients, 'bedrockRuntime'> | undefined;
  private readonly concurrency: number;

  constructor(options: BedrockEmbedderOptions = {}) {
    this.modelId = options.modelId ?? TITAN_EMBED_V2;
    this.dimensions = options.dimensions ?? 512;
    if (![256, 512, 1024].includes(this.dimensions)) throw new EmbeddingsError(`Titan v2 dimensions must be 256, 512 or 1024, got ${this.dimensions}`);
    this.model = `bedrock:${this.modelId}:${this.dimensions}`;
    this.clients = options.clients;
    this.concurrency = options.concurrency ?? 4;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = new Array(texts.length);
    let next = 0;
    const worker = async () => {
      while (next < texts.length) {
        const i = next++;
        out[i] = await this.embedOne(texts[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, texts.length) }, worker));
    return out;
  }

  private async embedOne(text: string): Promise<Float32Array> {
    const client = this.clients ? this.clients.bedrockRuntime() : bedrockRuntimeClient();
    let body: unknown;
    try {
      const res = await client.send(
        new InvokeModelCommand({
          modelId: this.modelId,
          contentType: 'application/json',
          accept: 'application/json',
          body: JSON.stringify({ inputText: text, dimensions: this.dimensions, normalize: true }),
        }),
      );
      body = JSON.parse(new TextDecoder().decode(res.body));
    } catch (error) {
      throw new EmbeddingsError(`Bedrock InvokeModel ${this.modelId} failed: ${(error as Error).message}`, { modelId: this.modelId }, error);
    }
    const embedding = (body as { embedding?: unknown }).embedding;
    if (!Array.isArray(embedding) || embedding.some((x) => typeof x !== 'number')) {
      throw new EmbeddingsError(`Bedrock ${this.modelId} answered without an "embedding" number array`, { modelId: this.modelId });
    }
    return Float32Array.from(embedding as number[]);
  }
}
