/**
 * The embeddings port: turns texts into vectors so search can blend semantic
 * similarity into BM25. Two providers implement it (Bedrock Titan Text
 * Embeddings v2, any OpenAI-compatible `/embeddings` endpoint); which one is
 * used comes from the environment (see embeddings-config.ts).
 */

/** Share of vector similarity in the blended search score when embeddings are on and no weight is set. */
export const DEFAULT_VECTOR_WEIGHT = 0.5;

export interface Embedder {
  /** Identifies the vector space: vectors from different models are never compared. */
  readonly model: string;
  /** One vector per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Cosine similarity; 0 when either vector is zero or the lengths differ. */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Float32 little-endian, base64: a 512-d vector is ~2.7 KB in DynamoDB instead of ~10 KB as a number list. */
export function encodeVector(v: Float32Array): string {
  const bytes = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) bytes.writeFloatLE(v[i], i * 4);
  return bytes.toString('base64');
}

export function decodeVector(s: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  const v = new Float32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < v.length; i++) v[i] = bytes.readFloatLE(i * 4);
  return v;
}
