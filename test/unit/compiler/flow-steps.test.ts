/**
 * Parallel, map and wait steps: compiled (golden file), valid by
 * asl-validator, and executed on the local Step Functions engine along each
 * path: a wait for a timestamp or for seconds, both parallel branches or one
 * failing into its catch, every map item, no items, or one failing into its catch.
 * Regenerate the golden file with `UPDATE_GOLDEN=1 npx jest test/unit/compiler/flow-steps`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FunctionRegistry } from '../../../local/functions';
import { openStepFunctions, type LocalStepFunctions } from '../../../local/stepfunctions';
import { toHistoryEvent } from '../../../local/stepfunctions/history';
import { compileAll, functionPlaceholders, lambdaArn, substitutePlaceholders } from '../../../shared/compiler';
import { loadValidOs } from '../../../shared/definition';
import flowStepsOs from '../../fixtures/definitions/flow-steps-os';

// asl-validator ships no types; it mutates its argument, so it gets a copy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errors: unknown[] };

const os = loadValidOs(flowStepsOs);
const text = compileAll(os).get('restock')!;
const golden = path.join(__dirname, '../../golden/asl-flow-steps/restock.asl.json');
const withArns = substitutePlaceholders(
  text,
  Object.fromEntries(Object.entries(functionPlaceholders(os.tools.map((t) => t.id))).map(([k, name]) => [k, lambdaArn(name)])),
);

test('the compiled workflow matches its golden file', () => {
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(path.dirname(golden), { recursive: true });
    writeFileSync(golden, text);
  }
  expect(existsSync(golden)).toBe(true);
  expect(text).toBe(readFileSync(golden, 'utf8'));
});

test('asl-validator accepts it', () => {
  const result = aslValidator(JSON.parse(withArns), { checkPaths: true, checkArn: true });
  expect(result.errors).toEqual([]);
  expect(result.isValid).toBe(true);
});

describe('run on the local engine', () => {
  let sfn: LocalStepFunctions;
  let emitted: { detailType: string; detail: Record<string, unknown>; stepId: string }[];
  let failOn: (payload: { stepId: string; detail: Record<string, unknown> }) => boolean;
  let stateMachineArn: string;

  beforeEach(async () => {
    emitted = [];
    failOn = () => false;
    const functions = new FunctionRegistry();
    functions.register('aios-emit-event', async (event) => {
      const e = event as { detailType: string; detail: Record<string, unknown>; stepId: string };
      if (failOn(e)) throw Object.assign(new Error(`cannot publish ${e.detailType}`), { name: 'Publish.Failed' });
      emitted.push(e);
      return { eventId: `evt-${emitted.length}`, duplicateOf: null };
    });
    sfn = openStepFunctions({ dataDir: ':memory:', functions });
    ({ stateMachineArn } = (await sfn.service.handle('CreateStateMachine', { name: 'restock', definition: withArns })) as { stateMachineArn: string });
  });
  afterEach(() => sfn.close());

  async function run(input: unknown) {
    const { executionArn } = await sfn.engine.startExecution({ stateMachineArn, input: JSON.stringify(input) });
    const row = await sfn.engine.waitForExecution(executionArn);
    const events = sfn.store.history(sfn.store.getExecution(executionArn)!.id, 0, 10_000, false).map(toHistoryEvent);
    const entered = events.filter((e) => e.type.endsWith('StateEntered')).map((e) => (e.stateEnteredEventDetails as { name: string }).name);
    return { row, entered, output: row.output ? (JSON.parse(row.output) as Record<string, unknown>) : undefined };
  }
  const lots = [{ lot: 'ETH-2291' }, { lot: 'COL-0417' }, { lot: 'KEN-1180' }];

  test('a known slot: waits until it, tells both teams at once, announces every lot in order', async () => {
    const { row, entered, output } = await run({ roastAt: '2020-01-01T00:00:00Z', lots });
    expect(row.status).toBe('SUCCEEDED');
    expect(entered).toContain('Wait for the roast slot');
    expect(entered).not.toContain('Short pause');
    expect(output!.tellTeams).toEqual([
      expect.objectContaining({ tellRoastery: { eventId: expect.any(String) } }),
      expect.objectContaining({ tellCafe: { eventId: expect.any(String) } }),
    ]);
    expect((output!.perLot as Record<string, unknown>[]).map((i) => Object.keys(i))).toEqual([['announceLot'], ['announceLot'], ['announceLot']]);
    const announced = emitted.filter((e) => e.detailType === 'restock.lot.arrived').map((e) => e.detail);
    expect(announced.sort((a, b) => Number(a.position) - Number(b.position))).toEqual([
      { lot: 'ETH-2291', position: 0 },
      { lot: 'COL-0417', position: 1 },
      { lot: 'KEN-1180', position: 2 },
    ]);
    expect(emitted.filter((e) => e.stepId === 'tellRoastery' || e.stepId === 'tellCafe').map((e) => e.detail)).toEqual([{ lots }, { lots }]);
  });

  test('no slot: pauses for its seconds instead; no lots: the map yields an empty list', async () => {
    const { row, entered, output } = await run({ lots: [] });
    expect(row.status).toBe('SUCCEEDED');
    expect(entered).toContain('Short pause');
    expect(entered).not.toContain('Wait for the roast slot');
    expect(output!.perLot).toEqual([]);
    expect(emitted.some((e) => e.detailType === 'restock.lot.arrived')).toBe(false);
  });

  test('one branch fails: the parallel step goes to its catch and the run fails with its error', async () => {
    failOn = (e) => e.stepId === 'tellCafe';
    const { row, entered } = await run({ roastAt: '2020-01-01T00:00:00Z', lots });
    expect(row.status).toBe('FAILED');
    expect(row.error).toBe('Restock.TeamsNotTold');
    expect(entered).toContain('Teams not told');
    expect(entered).not.toContain('Each lot');
  });

  test('one item fails: the map step goes to its catch', async () => {
    failOn = (e) => e.detail.lot === 'COL-0417';
    const { row, entered } = await run({ roastAt: '2020-01-01T00:00:00Z', lots });
    expect(row.status).toBe('FAILED');
    expect(row.error).toBe('Restock.LotsNotAnnounced');
    expect(entered).toContain('Lots not announced');
  });
});
