/**
 * A rejection comment reaches the agent: the compiled "rejected" outcome
 * carries the approvers' comments (from the approval service's output) in
 * the tool result message, evaluated as the engine does.
 */
import { applyTemplate } from '../../../local/asl/payload-template';
import { compileAll } from '../../../shared/compiler';
import { currentOs } from '../../../functions/current-os';

test("the support desk's rejected refund tells the agent what the approver said", () => {
  const asl = JSON.parse(compileAll(currentOs()).get('support-desk')!) as Record<string, unknown>;
  const found: Record<string, unknown>[] = [];
  JSON.stringify(asl, (key, value: Record<string, unknown>) => {
    if (key.endsWith(': rejected') && value?.Type === 'Pass') found.push(value);
    return value;
  });
  expect(found.length).toBeGreaterThan(0);
  const state = {
    call: { toolUseId: 'tu-1' },
    approval: {
      approved: false,
      approvalId: 'a1',
      decidedBy: ['sam'],
      comments: [{ by: 'sam', text: 'Offer store credit, not a refund' }],
      decidedAt: '2026-12-06T10:00:00Z',
    },
  };
  const result = applyTemplate(found[0].Parameters as never, state as never, {} as never) as { status: string; message: string };
  expect(result.status).toBe('rejected');
  expect(result.message).toBe(
    'A person rejected this action; it was not carried out. Their comments: [{"by":"sam","text":"Offer store credit, not a refund"}]',
  );
});
