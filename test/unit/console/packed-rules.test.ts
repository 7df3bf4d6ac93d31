/**
 * The console's entry carries each rule once, with what compiling added beside
 * it (shared/console/packed-rules.ts): joined back, through JSON, they must be
 * exactly the compiled rules the explain form would otherwise carry.
 */
import exampleOs from '../../../examples/kestrel-coffee';
import { compiledParts, withCompiledParts, withCompiledRules } from '../../../shared/console/packed-rules';
import { loadValidOs } from '../../../shared/definition';
import { compileRules } from '../../../shared/rights/compiled-rules';
import { decisionRulesSchema, type DecisionRuleInput } from '../../../shared/rights/rule-schema';

const os = loadValidOs(exampleOs);
const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

test("the example's rules joined with what compiling added are its compiled rules", () => {
  const compiled = compileRules(os.rules, os.people);
  expect(compiled.some((r) => r.approval && 'plan' in r.approval)).toBe(true);
  expect(withCompiledParts(throughJson(os.rules), throughJson(compiledParts(compiled)))).toEqual(throughJson(compiled));
});

test('an approve rule nobody can approve, a rule without `when` and an escalation join back too', () => {
  const written: DecisionRuleInput[] = [
    { id: 'nobody', tool: 'refunds.issue', when: 'amount > 10', outcome: 'approve', approvers: ['role:auditor'], timeout: '1h', onTimeout: 'reject' },
    {
      id: 'escalates',
      tool: 'refunds.issue',
      outcome: 'approve',
      approvers: ['role:finance'],
      timeout: '1d',
      onTimeout: { escalateTo: ['maya'], timeout: '1d' },
    },
    { id: 'plain', tool: 'tickets.reply', outcome: 'deny', reason: 'not today' },
  ];
  const rules = decisionRulesSchema.parse(written);
  const compiled = compileRules(rules, os.people);
  expect(compiled[0].approval).toEqual({ unusable: expect.any(String) });
  const joined = withCompiledRules({ name: 'x', rules: throughJson(rules) }, throughJson(compiledParts(compiled)));
  expect(joined.compiledRules).toEqual(throughJson(compiled));
  expect(joined.rules).toEqual(throughJson(rules));
});
