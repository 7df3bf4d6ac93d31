/**
 * The fault harness's rule for the one failure it expects (at-most-once.ts):
 * only a Tool.NotCarriedOut run refused after its beforeEffect mark with at
 * most one effect on record; any other failed run stays a violation.
 */
import { AuditLog } from '../../shared/audit/audit-log';
import { MemoryTable } from '../../shared/storage/memory-table';
import { atMostOnceRefusal, type RefusalEvidence } from './at-most-once';

const INTERRUPTED = 'an earlier attempt was interrupted and this tool is not idempotent, so it is not repeated; a person should check';

async function trailOf(records: [kind: 'tool.refused' | 'tool.ran', data: Record<string, unknown>][]) {
  const audit = new AuditLog(new MemoryTable('audit'));
  for (const [kind, data] of records) await audit.append('run-1', kind, data as never);
  return audit.records('run-1');
}

const evidence = (status: string | undefined, effects = 0): RefusalEvidence => ({ recordStatus: async () => status, effects: () => effects });
const failed = { runId: 'run-1', status: 'FAILED', error: 'Tool.NotCarriedOut: The "email.send" call of step "sendOutreach" was denied …' };
const refused = ['tool.refused', { tool: 'email.send', toolUseId: 'tu-1', why: INTERRUPTED }] as const;

test('killed after the mark, no email sent, refused on retry: the expected case', async () => {
  const verdict = await atMostOnceRefusal({ ...failed, trail: await trailOf([[...refused]]) }, evidence('acting'));
  expect(verdict).toMatchObject({ expected: true });
});

test('killed after SES accepted and before the call was marked done: the same case, the one email went out', async () => {
  const verdict = await atMostOnceRefusal({ ...failed, trail: await trailOf([[...refused]]) }, evidence('acting', 1));
  expect(verdict).toMatchObject({ expected: true, text: expect.stringContaining('its one effect had gone out') });
});

test('anything short of the whole rule is not expected', async () => {
  const trail = await trailOf([[...refused]]);
  // no mark: killed before it called SES, so the retry should have taken it over
  expect(await atMostOnceRefusal({ ...failed, trail }, evidence('started'))).toMatchObject({ expected: false });
  // two emails of the run in the outbox: done twice
  expect(await atMostOnceRefusal({ ...failed, trail }, evidence('acting', 2))).toMatchObject({ expected: false });
  // another error
  expect(await atMostOnceRefusal({ ...failed, error: 'States.Runtime: x', trail }, evidence('acting'))).toMatchObject({ expected: false });
  // a run still running
  expect(await atMostOnceRefusal({ ...failed, status: 'RUNNING', trail }, evidence('acting'))).toMatchObject({ expected: false });
  // refused for another reason (an approval mismatch)
  const other = await trailOf([['tool.refused', { tool: 'email.send', toolUseId: 'tu-1', why: 'the approval does not cover this call' }]]);
  expect(await atMostOnceRefusal({ ...failed, trail: other }, evidence('acting'))).toMatchObject({ expected: false });
  // two refusals in one run
  const two = await trailOf([[...refused], ['tool.refused', { tool: 'crm.note', toolUseId: 'tu-2', why: INTERRUPTED }]]);
  expect(await atMostOnceRefusal({ ...failed, trail: two }, evidence('acting'))).toMatchObject({ expected: false });
  // the call also ran
  const ran = await trailOf([[...refused], ['tool.ran', { tool: 'email.send', toolUseId: 'tu-1', status: 'ok', inputDigest: 'd', summary: '' }]]);
  expect(await atMostOnceRefusal({ ...failed, trail: ran }, evidence('acting'))).toMatchObject({ expected: false });
});
