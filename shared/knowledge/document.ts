/**
 * The knowledge document model. A document lives in one namespace under an id,
 * has a title, tags and free metadata, and a version that grows by one each
 * time its content changes. Its source says where it came from: a seed file
 * (`aios knowledge sync`) or an agent that remembered it during a run.
 * A retired document keeps its versions for the record but is never searched.
 */
import { createHash } from 'node:crypto';
import * as z from '../mini-zod';
import { canonicalJson } from '../canonical-json';
import { DOC_ID_PATTERN, NAMESPACE_PATTERN } from './layout';

export { DOC_ID_PATTERN };

/**
 * An ISO-8601 date and time with seconds and `Z` or a `±hh:mm` offset, as zod's `iso.datetime({ offset: true })`
 * accepts, checked here because that grammar costs a writer's bundle about 1.3 KiB.
 */
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function isIsoDateTime(s: string): boolean {
  const day = ISO_DATE_TIME.exec(s)?.[1];
  // The calendar day must exist (no 2025-02-30).
  return day !== undefined && !Number.isNaN(Date.parse(day)) && new Date(day).toISOString().startsWith(day);
}

/** Built when a remembered document is first checked, not while the Lambda loads. */
export const provenanceSchema = /* @__PURE__ */ z.builtOnFirstUse(() =>
  z.strictObject({
    runId: z.string().check(z.minLength(1)),
    agentId: z.string().check(z.minLength(1)),
    /** ISO-8601 time the agent learned it. */
    at: z.string().check(z.predicate(isIsoDateTime, 'an ISO-8601 date and time with an offset, e.g. 2025-01-02T10:00:00Z')),
  }),
);

export type Provenance = z.infer<ReturnType<typeof provenanceSchema>>;

export type DocumentSource = { kind: 'seed'; path: string } | ({ kind: 'remembered' } & Provenance);

export interface DocumentInput {
  namespace: string;
  id: string;
  title: string;
  tags: string[];
  /** Markdown. */
  body: string;
  source: DocumentSource;
  metadata?: Record<string, string>;
}

export type DocumentStatus = 'active' | 'retired';

/** A document's current state (its latest version). */
export interface KnowledgeDocument {
  namespace: string;
  id: string;
  title: string;
  tags: string[];
  metadata: Record<string, string>;
  source: DocumentSource;
  version: number;
  status: DocumentStatus;
  /** sha256 of the canonical content (title, tags, metadata, body). */
  contentHash: string;
  chunkCount: number;
  /** Embedding model of the stored chunk vectors; absent when stored without embeddings. */
  vectorModel?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Built when a document is first checked, not while the Lambda loads; a bundle that loads this module without
 * checking documents (the remember path, version-writer.ts) drops it.
 */
export const documentInputSchema = /* @__PURE__ */ z.builtOnFirstUse(() =>
  z.strictObject({
    namespace: z.string().check(z.regex(NAMESPACE_PATTERN, 'lower-case letters, digits and dashes, starting with a letter')),
    id: z.string().check(z.regex(DOC_ID_PATTERN, 'lower-case letters, digits, dots, dashes and underscores (at most 100)')),
    title: z.string().check(z.minLength(1), z.maxLength(300)),
    tags: z.array(z.string().check(z.minLength(1), z.maxLength(60))).check(z.maxLength(30)),
    body: z.string().check(z.minLength(1), z.maxLength(200_000)),
    source: z.union([
      z.strictObject({ kind: z.literal('seed'), path: z.string().check(z.minLength(1)) }),
      z.extend(provenanceSchema(), { kind: z.literal('remembered') }),
    ]),
    metadata: z.optional(z.record(z.string(), z.string())),
  }),
);

/** What decides whether a document changed: not its source path, not when it was synced. */
export function contentHash(input: Pick<DocumentInput, 'title' | 'tags' | 'body' | 'metadata'>): string {
  return createHash('sha256')
    .update(canonicalJson({ title: input.title, tags: input.tags, metadata: input.metadata ?? {}, body: input.body.trim() }))
    .digest('hex');
}
