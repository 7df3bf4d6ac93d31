/**
 * `remember` stores the document it builds without checking it against the document schema (its function carries
 * no such schema): every request that passes the remember checks must build a document that schema accepts unchanged.
 */
import fc from 'fast-check';
import { documentInputSchema } from '../../../shared/knowledge/document';
import { rememberedDocument, rememberRequestSchema } from '../../../shared/knowledge/version-writer';

const provenance = { runId: 'run-1', agentId: 'triage', at: '2025-01-02T10:00:00Z' };

/** The document a request builds, when the remember checks accept the request. */
function built(request: unknown) {
  const parsed = rememberRequestSchema().safeParse(request);
  return parsed.success ? rememberedDocument(parsed.data) : undefined;
}

test('edge cases: long first lines, padding, a given title and tags, the longest text', () => {
  const requests = [
    { namespace: 'support', text: 'A fact.', provenance },
    { namespace: 'support', text: `  \n\t ${'x'.repeat(200)}\nsecond line  `, provenance },
    { namespace: 'support', text: 'é', title: '  A title  ', tags: ['a', 'b'.repeat(60)], provenance },
    { namespace: 'a-1', text: 'y'.repeat(20_000), tags: [], provenance: { ...provenance, at: '2024-02-29T23:59:59.5-05:30' } },
    { namespace: 'support', text: '\u200b\nzero-width first line', provenance },
  ];
  for (const request of requests) {
    const doc = built(request);
    expect(doc).toBeDefined();
    expect(documentInputSchema().parse(doc)).toEqual(doc);
  }
});

test('any request the remember checks accept builds a document the document schema accepts as it is', () => {
  const request = fc.record(
    {
      namespace: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      text: fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' }),
      title: fc.string({ maxLength: 320 }),
      tags: fc.array(fc.string({ minLength: 1, maxLength: 60 }), { maxLength: 30 }),
      provenance: fc.constant(provenance),
    },
    { requiredKeys: ['namespace', 'text', 'provenance'] },
  );
  fc.assert(
    fc.property(request, (r) => {
      const doc = built(r);
      if (doc) expect(documentInputSchema().parse(doc)).toEqual(doc);
    }),
    { numRuns: 500 },
  );
});

test('the same text is one document, whatever title or provenance it comes with', () => {
  const a = built({ namespace: 'support', text: 'Order 1042 was re-shipped.', provenance })!;
  const b = built({ namespace: 'support', text: 'Order 1042 was re-shipped.', title: 'Re-ship', provenance: { ...provenance, runId: 'run-2' } })!;
  expect(a.id).toBe(b.id);
  expect(a.id).toMatch(/^mem-[0-9a-f]{16}$/);
});
