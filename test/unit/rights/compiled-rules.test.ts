/**
 * Rules compiled ahead (shared/rights/compiled-rules.ts), as the deployed
 * gate gets them: written as JSON at synth, read back, evaluated without the
 * parser. Their decisions must be the run-time parser's, on the example's
 * rights and on hostile expressions; a compiled form JSON cannot carry is
 * found (synth then keeps the gate's usual entry).
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import exampleOs from '../../../examples/kestrel-coffee';
import { gateCallWithoutFacts, gateToolCall } from '../../../functions/tool-gate/gate';
import { AuditLog } from '../../../shared/audit/audit-log';
import { loadValidOs } from '../../../shared/definition';
import { compileRules } from '../../../shared/rights/compiled-rules';
import { decideCompiledRights, evaluateCompiledRights, evaluateRights } from '../../../shared/rights/evaluate-rights';
import { evaluateExpression, parseExpression } from '../../../shared/rights/expression';
import { LimitCounters } from '../../../shared/rights/limit-counters';
import { decisionRulesSchema, type DecisionRuleInput } from '../../../shared/rights/rule-schema';
import { MemoryTable } from '../../../shared/storage/memory-table';

const os = loadValidOs(exampleOs);
/** The compiled rules as the gate's entry carries them: through JSON. */
const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("the example's rights", () => {
  const agents = [null, 'triage', 'research', 'nobody'];
  const workflows = ['support-desk', 'sales-follow-up', 'other'];
  const inputs: unknown[] = [
    {},
    { amount: -1 },
    { amount: 0 },
    { amount: 50 },
    { amount: 50.01 },
    { amount: 500 },
    { amount: 2000 },
    { amount: 2000.5 },
    { amount: '20' },
    { amount: null },
    { orderId: 'KC-10442', amount: 12, currency: 'USD', reason: 'damaged bag' },
    [],
    'text',
    null,
  ];
  const calls = [...os.tools.map((t) => t.id), 'no.such-tool'].flatMap((name) =>
    agents.flatMap((agentId) => workflows.flatMap((workflowId) => inputs.map((input) => ({ name, agentId, workflowId, input })))),
  );

  test('the gate decides every call alike from the compiled data and from the rules parsed at run time, limits included', async () => {
    const now = () => new Date('2026-12-09T15:00:00Z');
    const run = (state: MemoryTable, audit: MemoryTable) => ({
      tools: os.tools,
      agents: os.agents,
      lists: os.lists,
      counters: new LimitCounters(state),
      audit: new AuditLog(audit, now),
      now,
    });
    const parsed = run(new MemoryTable('state'), new MemoryTable('audit'));
    const compiled = run(new MemoryTable('state'), new MemoryTable('audit'));
    const rules = throughJson(compileRules(os.rules, os.people));
    // Three rounds, so the rolling limits fill (50 remembered a day, $500 of small refunds) and both must refuse alike.
    for (const round of [1, 2, 3]) {
      for (const [i, c] of calls.entries()) {
        const event = {
          runId: `run-${round}`,
          workflowId: c.workflowId,
          stepId: 'step',
          agentId: c.agentId,
          call: { toolUseId: `tu-${i}`, name: c.name, input: c.input },
        };
        const expected = await gateToolCall({ ...parsed, rules: os.rules, people: os.people }, event);
        expect(await gateCallWithoutFacts({ ...compiled, rules }, event)).toStrictEqual(expected);
      }
    }
    expect(await compiled.audit.records('run-3')).toEqual(await parsed.audit.records('run-3'));
  });

  test('with and without the trace, the decision is the same', async () => {
    const rules = throughJson(compileRules(os.rules, os.people));
    for (const c of calls.slice(0, 400)) {
      const tool = os.tools.find((t) => t.id === c.name) ?? { id: c.name, sideEffect: 'write' as const };
      const req = { rules, tool, agentId: c.agentId, workflowId: c.workflowId, input: c.input, now: new Date(), consume: false };
      const { trace, ...decision } = await evaluateCompiledRights({ ...req, counters: new LimitCounters(new MemoryTable()) });
      expect(await decideCompiledRights({ ...req, counters: new LimitCounters(new MemoryTable()) })).toStrictEqual(decision);
      expect(trace.at(-1)?.matched ?? false).toBe(decision.ruleId !== null);
    }
  });
});

describe('hostile and edge expressions', () => {
  const expressions = [
    'amount <= 50',
    'amount == 0.30000000000000004',
    'amount < 1e308',
    'amount < 1e999',
    'amount > -1e999',
    'amount == -0',
    'amount == 0',
    'amount == 9007199254740993',
    'reason == "quote \\" and \\\\ backslash"',
    `reason == "it's" or reason == 'say "hi"'`,
    'reason == "</script><!-- ${x} `tick` \u2028"',
    'reason == "line\\nbreak"',
    'name == "naïve café ☕ 𝄞"',
    '__proto__ == null',
    'constructor == null',
    'a.__proto__.polluted == true',
    'toString != null',
    'order.in == 1 and order.not == 2',
    'x in [1, "1", true, null, [1, 2]]',
    'x not in []',
    'tags in lists.missing',
    'not not not (a == b)',
    `${'('.repeat(30)}a == 1${')'.repeat(30)}`,
    Array.from({ length: 60 }, (_, i) => `f${i} != ${i}`).join(' or '),
    'a.b.c.d.e.f == "deep"',
    'x == [1, [2, [3]]]',
    'x < "b" and x >= "a"',
    'x <= null or x >= false',
  ];
  const inputs: unknown[] = [
    {},
    { amount: 0 },
    { amount: -0 },
    { amount: 50 },
    { amount: 1e308 },
    { amount: 9007199254740992 },
    { amount: 0.1 + 0.2 },
    { reason: 'quote " and \\ backslash' },
    { reason: "it's" },
    { reason: '</script><!-- ${x} `tick` \u2028' },
    { reason: 'line\nbreak' },
    { name: 'naïve café ☕ 𝄞' },
    JSON.parse('{"__proto__": null, "constructor": null, "a": {"__proto__": {"polluted": true}}}'),
    { toString: 'x' },
    { order: { in: 1, not: 2 } },
    { x: 1 },
    { x: '1' },
    { x: [1, 2] },
    { x: [1, [2, [3]]] },
    { x: 'a' },
    { x: 'b' },
    { x: null },
    { a: 1, b: 1 },
    { a: { b: { c: { d: { e: { f: 'deep' } } } } } },
    { tags: 'vip', lists: { missing: ['vip'] } },
    [1, 2],
    null,
  ];
  const people = [{ id: 'ana', roles: ['finance'] }];
  const tool = { id: 'payments.schedule', sideEffect: 'external' as const };

  function rulesFor(when: string) {
    const input: DecisionRuleInput[] = [
      { id: 'hostile', tool: 'payments.*', when, outcome: 'approve', approvers: ['role:finance'], timeout: '1h30m' },
      { id: 'fallback', tool: '*', when: 'not (' + when + ')', outcome: 'allow' },
    ];
    return decisionRulesSchema.parse(input);
  }

  test.each(expressions)('%s: decided alike, or found not to survive JSON', async (when) => {
    const rules = rulesFor(when);
    const compiled = compileRules(rules, people);
    const carried = throughJson(compiled);
    if (!isDeepStrictEqual(carried, compiled)) {
      // Only a literal JSON cannot write (Infinity, -0) stops the compiled form; synth then keeps the usual entry.
      expect(/1e999|-0\b/.test(when)).toBe(true);
      return;
    }
    for (const input of inputs) {
      const req = { tool, agentId: 'a', workflowId: 'w', input, now: new Date('2026-12-07T10:00:00Z'), consume: false };
      const { trace: _trace, ...expected } = await evaluateRights({ ...req, rules, people, counters: new LimitCounters(new MemoryTable()) });
      expect(await decideCompiledRights({ ...req, rules: carried, counters: new LimitCounters(new MemoryTable()) })).toStrictEqual(expected);
    }
  });

  test('the lossy literals are exactly the ones found: Infinity and -0', () => {
    const lossy = expressions.filter((when) => {
      const compiled = compileRules(rulesFor(when), people);
      return !isDeepStrictEqual(throughJson(compiled), compiled);
    });
    expect(lossy).toEqual(['amount < 1e999', 'amount > -1e999', 'amount == -0']);
  });

  test('random expressions over random inputs: the tree read back from JSON evaluates as the source parsed at run time', () => {
    const name = fc.constantFrom('a', 'b', 'amount', 'x.y', 'lists.l', '__proto__', 'constructor');
    const literal = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc
        .double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
        .filter((d) => !Object.is(d, -0))
        .map((d) => String(d)),
      fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
      fc.constantFrom('true', 'false', 'null'),
    );
    const operand = fc.oneof(
      name,
      literal,
      fc.array(literal, { maxLength: 3 }).map((l) => `[${l.join(', ')}]`),
    );
    const comparison = fc
      .tuple(
        operand,
        fc.constantFrom('==', '!=', '<', '<=', '>', '>=', 'in', 'not in'),
        fc.oneof(
          name,
          fc.array(literal, { maxLength: 3 }).map((l) => `[${l.join(', ')}]`),
        ),
      )
      .map(([l, op, r]) => `${l} ${op} ${r}`);
    const expression = fc
      .array(comparison, { minLength: 1, maxLength: 4 })
      .chain((parts) =>
        fc
          .array(fc.constantFrom(' and ', ' or ', ' and not '), { minLength: parts.length - 1, maxLength: parts.length - 1 })
          .map((joins) => parts.reduce((acc, part, i) => (i === 0 ? part : `${acc}${joins[i - 1]}(${part})`), '')),
      );
    const value = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null));
    const input = fc.record(
      { a: value, b: value, amount: value, x: fc.record({ y: value }), lists: fc.record({ l: fc.array(value, { maxLength: 3 }) }) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(expression, input, (source, data) => {
        const tree = parseExpression(source);
        const carried = throughJson(tree);
        fc.pre(isDeepStrictEqual(carried, tree));
        return evaluateExpression(carried, data) === evaluateExpression(parseExpression(source), data);
      }),
      { numRuns: 500 },
    );
  });
});
