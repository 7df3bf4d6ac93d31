/**
 * The console's AWS cost of a run from counts (run-cost-counts.ts) is the
 * walk's (shared/cost's `awsCostOfModeledRun`) at every shape; a workflow
 * carried with its ASL is walked.
 */
import { awsCostOfModeledRun } from '../../../shared/cost/run-cost-model';
import { runCostModel } from '../../../shared/cost/run-cost';
import { awsCostOfCountedRun, runCostCounts } from '../../../shared/console/run-cost-counts';
import exampleDefinition from '../../../examples/kestrel-coffee';
import { loadValidOs } from '../../../shared/definition';

const exampleOs = () => loadValidOs(exampleDefinition);

test('every example workflow is carried as counts, and costs what the walk costs at every shape', () => {
  const model = runCostModel(exampleOs(), { shortStateNames: true });
  const counts = runCostCounts(model);
  expect(counts.workflows.map((w) => ('asl' in w ? 'asl' : 'counts'))).toEqual(model.workflows.map(() => 'counts'));
  const walked = awsCostOfModeledRun(model);
  const counted = awsCostOfCountedRun(counts);
  for (const w of model.workflows) {
    for (let thinks = 0; thinks <= 30; thinks += 1) {
      for (const toolCalls of [0, 1, 2, 5, 17, 40]) expect(counted(w.id, { thinks, toolCalls })).toBe(walked(w.id, { thinks, toolCalls }));
    }
  }
  expect(counted('no-such-workflow', { thinks: 3, toolCalls: 2 })).toBe(0);
});

test('a workflow carried with its ASL (counts that did not fit) is walked, at the same cost', () => {
  const model = runCostModel(exampleOs(), { shortStateNames: true });
  const walked = awsCostOfModeledRun(model);
  const counted = awsCostOfCountedRun({ workflows: model.workflows.map(({ id, agents, asl }) => ({ id, agents, asl })), functions: model.functions });
  for (const w of model.workflows) {
    for (const [thinks, toolCalls] of [
      [1, 0],
      [3, 2],
      [7, 12],
    ])
      expect(counted(w.id, { thinks, toolCalls })).toBe(walked(w.id, { thinks, toolCalls }));
  }
});
