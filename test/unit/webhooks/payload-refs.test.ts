/** The agent step's reading of stored deliveries: whole, checked, and only from this deployment's bucket. */
import { createHash } from 'node:crypto';
import { isAiosError } from '../../../shared/errors';
import { MAX_AGENT_PAYLOAD_BYTES, resolvePayloadRefs, type PayloadReader, type PayloadRef } from '../../../shared/webhooks/payload-store';

const body = Buffer.from(JSON.stringify({ ticket: { id: 7, lines: ['KC-1', 'KC-2'] } }));
const ref = (overrides: Partial<PayloadRef> = {}): PayloadRef => ({
  bucket: 'aios-payloads',
  key: 'webhooks/zendesk/abc.json',
  bytes: body.length,
  sha256: createHash('sha256').update(body).digest('hex'),
  ...overrides,
});
const reader = (content: Buffer = body): PayloadReader & { reads: string[] } => {
  const reads: string[] = [];
  return { reads, get: async (r) => (reads.push(r.key), content) };
};
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isAiosError(e) ? e.code : String(e)),
  );

test('every { aiosPayload } in the input becomes the delivery it names; everything else is left as it is', async () => {
  const input = {
    source: 'saas.zendesk',
    details: { aiosPayload: ref() },
    list: [{ aiosPayload: ref() }, 3],
    note: { aiosPayload: 'not a reference', other: 1 },
  };
  const r = reader();
  expect(await resolvePayloadRefs(input, r, 'aios-payloads')).toEqual({
    source: 'saas.zendesk',
    details: { ticket: { id: 7, lines: ['KC-1', 'KC-2'] } },
    list: [{ ticket: { id: 7, lines: ['KC-1', 'KC-2'] } }, 3],
    note: { aiosPayload: 'not a reference', other: 1 },
  });
  expect(r.reads).toHaveLength(2);
});

test('a reference elsewhere, a body not matching its digest, or one too big for an agent is refused, never followed', async () => {
  expect(await codeOf(resolvePayloadRefs({ aiosPayload: ref({ bucket: 'someone-elses' }) }, reader(), 'aios-payloads'))).toBe('Payload.Unreadable');
  expect(await codeOf(resolvePayloadRefs({ aiosPayload: ref({ key: 'audit/x.json' }) }, reader(), 'aios-payloads'))).toBe('Payload.Unreadable');
  expect(await codeOf(resolvePayloadRefs({ aiosPayload: ref() }, reader(Buffer.from('{"edited":true}')), 'aios-payloads'))).toBe('Payload.Unreadable');
  const big = reader();
  expect(await codeOf(resolvePayloadRefs({ aiosPayload: ref({ bytes: MAX_AGENT_PAYLOAD_BYTES + 1 }) }, big, 'aios-payloads'))).toBe('Payload.TooLargeForAgent');
  expect(big.reads).toEqual([]);
});
