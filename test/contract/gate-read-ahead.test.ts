/** The tool gate reads the agent's suspension and its limits' windows in one request, and limits still hold. */
import { gateToolCall, type GateDeps } from '../../functions/tool-gate/gate';
import { AuditLog } from '../../shared/audit';
import { agentSuspensions, ControlStore } from '../../shared/console/controls';
import { compileRules } from '../../shared/rights/compiled-rules';
import { limitKeysAhead } from '../../shared/rights/evaluate-rights';
import { LimitCounters } from '../../shared/rights/limit-counters';
import { decisionRulesSchema } from '../../shared/rights/rule-schema';
import { dynamoDbItemsReader, itemsReaderOf, type ItemsReader } from '../../shared/storage/items-reader';
import { MemoryTable } from '../../shared/storage/memory-table';
import { onMemoryAndDynalite, startDynalite, type DynaliteHandle } from '../support/dynalite';

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(() => dynalite.close());

const now = new Date('2025-01-15T10:00:00Z');
const rules = decisionRulesSchema.parse([
  { id: 'read', tool: 'knowledge.search', outcome: 'allow' },
  { id: 'no-huge', tool: 'refunds.issue', when: 'amount > 2000', outcome: 'deny' },
  { id: 'small', tool: 'refunds.issue', when: 'amount <= 50', limit: { sum: { field: 'amount', max: 100 }, per: 'day', scope: 'tool' }, outcome: 'allow' },
  { id: 'medium', tool: 'refunds.issue', outcome: 'approve', approvers: ['sam'] },
  { id: 'later', tool: 'refunds.issue', limit: { count: 1, per: 'day', scope: 'tool' }, outcome: 'allow' },
]);
const people = [{ id: 'sam', roles: [] }];
const call = (amount: number, toolUseId = `tu-${amount}`) => ({
  runId: 'run-1',
  workflowId: 'support-desk',
  stepId: 'triage',
  agentId: 'triage',
  call: { toolUseId, name: 'refunds.issue', input: { amount }, reason: '' },
});

describe.each(onMemoryAndDynalite(() => dynalite, ['a memory table', 'dynalite (BatchGetItem)'], { memory: itemsReaderOf, dynamodb: dynamoDbItemsReader }))(
  'the gate on %s',
  (_name, open) => {
    async function gateOn(onRead?: () => Promise<void>) {
      const [state, read] = await open();
      const reads: string[][] = [];
      const gets: string[] = [];
      // The table's own reads (the memory table's batch read is one get each: not counted).
      let batch = false;
      const get = state.get.bind(state);
      state.get = async (key) => (batch || gets.push(key.pk), get(key));
      const readItems: ItemsReader = async (keys) => {
        reads.push(keys.map((k) => k.pk));
        batch = true;
        const items = await read(keys).finally(() => (batch = false));
        await onRead?.();
        return items;
      };
      const deps = (): GateDeps => ({
        rules,
        people,
        tools: [
          { id: 'refunds.issue', sideEffect: 'external' },
          { id: 'knowledge.search', sideEffect: 'read' },
        ],
        agents: [{ id: 'triage', tools: ['refunds.issue', 'knowledge.search'] }],
        // One per call, as the gate's function makes them.
        counters: new LimitCounters(state),
        audit: new AuditLog(new MemoryTable('audit'), () => now),
        now: () => now,
        suspensions: agentSuspensions(new ControlStore(state)),
        readItems,
      });
      return { state, deps, reads, gets };
    }

    it('reads the suspension and the windows of the limits the call may consult in one request, and holds the limit', async () => {
      const { deps, reads, gets } = await gateOn();
      const decisions = [];
      for (const amount of [40, 40, 40]) decisions.push((await gateToolCall(deps(), call(amount))).ruleId);
      expect(decisions).toEqual(['small', 'small', 'medium']);
      expect(reads).toEqual(Array.from({ length: 3 }, () => ['control#agent#triage', 'limit#small#tool=refunds.issue']));
      // No read of its own: the window each consumption wrote on was the one read ahead.
      expect(gets).toEqual([]);
    });

    it('a call whose rules consult no limit reads its suspension alone', async () => {
      const { deps, reads, gets } = await gateOn();
      expect((await gateToolCall(deps(), { ...call(0), call: { toolUseId: 'k', name: 'knowledge.search', input: {}, reason: '' } })).ruleId).toBe('read');
      expect(reads).toEqual([]);
      expect(gets).toEqual(['control#agent#triage']);
    });

    it('a suspended agent is denied by the suspension read with the windows, and consumes nothing', async () => {
      const { state, deps, reads } = await gateOn();
      await new ControlStore(state).set({ kind: 'agent', id: 'triage', by: 'maya', byName: 'Maya Chen', at: now.toISOString(), why: 'too generous' });
      expect(await gateToolCall(deps(), call(40))).toMatchObject({ decision: 'deny', ruleId: null });
      expect(reads).toHaveLength(1);
      expect(await new LimitCounters(state).usage('limit#small#tool=refunds.issue', 'day', now)).toEqual({ count: 0, sum: 0 });
    });

    it('a window another gate changed after it was read ahead: the consumption is refused, read again, and the limit holds', async () => {
      let other: (() => Promise<void>) | undefined;
      const { state, deps, gets } = await gateOn(async () => {
        const consume = other;
        other = undefined;
        await consume?.();
      });
      expect((await gateToolCall(deps(), call(40))).ruleId).toBe('small');
      // Between this call's read and its write, another gate takes the next 40 of the 100.
      other = async () => void (await new LimitCounters(state).consume('limit#small#tool=refunds.issue', rules[2].limit!, 40, now));
      expect((await gateToolCall(deps(), call(30))).ruleId).toBe('medium');
      // The other gate's read, and this one's after its write was refused.
      expect(gets).toEqual(['limit#small#tool=refunds.issue', 'limit#small#tool=refunds.issue']);
      expect(await new LimitCounters(state).usage('limit#small#tool=refunds.issue', 'day', now)).toEqual({ count: 2, sum: 80 });
    });
  },
);

test('the limits a call may consult: its tool’s rules with limits, up to the first that decides unconditionally', () => {
  const compiled = compileRules(rules, people);
  const tool = { id: 'refunds.issue', sideEffect: 'external' as const };
  expect(limitKeysAhead(compiled, { tool, agentId: 'triage', workflowId: 'support-desk' })).toEqual(['limit#small#tool=refunds.issue']);
  expect(limitKeysAhead(compiled, { tool: { id: 'knowledge.search', sideEffect: 'read' }, agentId: 'triage', workflowId: null })).toEqual([]);
  // With no unconditional rule before it, a later limit is read too.
  const withoutMedium = compileRules(
    rules.filter((r) => r.id !== 'medium'),
    people,
  );
  expect(limitKeysAhead(withoutMedium, { tool, agentId: 'triage', workflowId: null })).toEqual([
    'limit#small#tool=refunds.issue',
    'limit#later#tool=refunds.issue',
  ]);
});
