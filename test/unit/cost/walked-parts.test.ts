/**
 * The console carries each workflow's machine for costing runs as the parts
 * the typical-path walk reads (shared/cost/asl-walk.ts `walkedParts`): the
 * walk over them counts exactly what it counts over the whole document.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { walkedParts, walkTypicalPath } from '../../../shared/cost/asl-walk';

const dir = path.join(__dirname, '../../golden/asl');
const documents = readdirSync(dir).filter((f) => f.endsWith('.asl.json'));

test.each(documents)('%s: the same transitions and invocations at every shape, with or without short state names', (file) => {
  const asl = readFileSync(path.join(dir, file), 'utf8');
  const parts = walkedParts(asl);
  const short = walkedParts(asl, { shortNames: true });
  expect(JSON.stringify(short).length).toBeLessThan(asl.length / 2);
  for (const agentTurns of [1, 2, 5]) {
    for (const toolCallsPerTurn of [0, 1, 3]) {
      const assumptions = { agentTurns, toolCallsPerTurn, mapItems: 3 };
      const whole = walkTypicalPath(asl, assumptions);
      expect(walkTypicalPath(parts, assumptions)).toEqual(whole);
      expect(walkTypicalPath(short, assumptions)).toEqual(whole);
    }
  }
});
