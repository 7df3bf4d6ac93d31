import { provenanceSchema } from '../../../shared/knowledge/document';

const accepts = (at: string) => provenanceSchema().safeParse({ runId: 'run-1', agentId: 'triage', at }).success;

test('provenance time: an ISO-8601 date and time with seconds and Z or a ±hh:mm offset, on a day that exists', () => {
  for (const at of ['2025-01-02T10:00:00Z', '2025-01-02T10:00:00.000Z', '2025-01-02T10:00:00+01:00', '2024-02-29T23:59:59.123456-05:30']) {
    expect(accepts(at)).toBe(true);
  }
  for (const at of [
    'yesterday',
    '2025-01-02',
    '2025-01-02T10:00:00',
    '2025-01-02T10:00Z',
    '2025-01-02T10:00:00+0100',
    '2025-13-02T10:00:00Z',
    '2025-02-29T10:00:00Z',
    '2025-02-30T10:00:00Z',
    '2025-01-02T24:00:00Z',
    '2025-01-02t10:00:00Z',
  ]) {
    expect(accepts(at)).toBe(false);
  }
  expect(provenanceSchema().safeParse({ runId: 'r', agentId: 'a', at: 'yesterday' }).error?.issues[0]).toMatchObject({
    path: ['at'],
    message: expect.stringContaining('ISO-8601'),
  });
});
