import { verdictLines } from '../../../shared/audit/verdict-text';

it('a chain of one record says "1 record"', () => {
  expect(verdictLines({ runId: '(index 8)', ok: true, count: 1, problems: [] })).toEqual(['ok     (index 8): 1 record, chain intact']);
  expect(verdictLines({ runId: 'run-1', ok: true, count: 12, problems: [] })).toEqual(['ok     run-1: 12 records, chain intact']);
});
