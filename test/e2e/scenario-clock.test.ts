/**
 * The clock in `aios test`: a weekend rule decides by the scenario's clock,
 * else by AIOS_CLOCK — the approval path can be tried on a Sunday.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runScenario } from '../../local/scenarios/run-scenario';
import { loadValidOs } from '../../shared/definition';
import { decisionRulesSchema } from '../../shared/rights/rule-schema';
import { scenarioSchema } from '../../shared/scenarios/scenario-schema';
import exampleOs from '../../examples/kestrel-coffee';
import { EXAMPLE_DIR } from '../support/example';

const example = loadValidOs(exampleOs);
const weekend = decisionRulesSchema.parse([
  { id: 'no-weekend-refunds', tool: 'refunds.issue', window: { days: ['sat', 'sun'], timeZone: 'America/Chicago' }, outcome: 'deny' },
]);
const os = { ...example, rules: [...weekend, ...example.rules] };
const file = path.join(EXAMPLE_DIR, 'scenarios', '01-small-refund-allowed.json');
const { clock: _clock, expect: _expect, ...base } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const refundDecision = async (scenario: Record<string, unknown>, env: NodeJS.ProcessEnv) => {
  const r = await runScenario({ os, scenario: scenarioSchema.parse(scenario), file, recordingsDir: path.join(EXAMPLE_DIR, 'recordings'), env });
  return r.observed.rights.find((d) => d.tool === 'refunds.issue');
};

it("a scenario's clock decides the rights windows", async () => {
  expect(await refundDecision({ ...base, clock: '2026-12-06T10:00:00-06:00' }, {})).toMatchObject({ decision: 'deny', rule: 'no-weekend-refunds' });
  expect(await refundDecision({ ...base, clock: '2026-12-07T10:00:00-06:00' }, {})).toMatchObject({ decision: 'allow', rule: 'small-refunds' });
});

it('without one, AIOS_CLOCK does', async () => {
  expect(await refundDecision(base, { AIOS_CLOCK: '2026-12-05T10:00:00-06:00' })).toMatchObject({ decision: 'deny', rule: 'no-weekend-refunds' });
  expect(await refundDecision(base, { AIOS_CLOCK: '2026-12-08T10:00:00-06:00' })).toMatchObject({ decision: 'allow', rule: 'small-refunds' });
});
