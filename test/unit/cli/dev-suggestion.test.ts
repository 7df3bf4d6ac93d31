/** The banner of `npm start` suggests an event that starts one of the definition's workflows. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import exampleOs from '../../../examples/kestrel-coffee';
import { startingEventFile } from '../../../cli/dev-suggestion';
import { writeStarter } from '../../../cli/init/write-starter';
import { loadValidOs } from '../../../shared/definition';

const root = path.join(__dirname, '..', '..', '..');

it('for the example, a bus sample its rules match', () => {
  const file = startingEventFile(loadValidOs(exampleOs), root);
  expect(file && path.relative(root, file)).toMatch(/^events\/samples\/bus\/(hubspot|stripe|zendesk)\./);
});

it("for the init starter, its own sample event, not a vendor's sample no rule of it listens to", () => {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'aios-suggest-')), 'mine');
  writeStarter({ dir, projectRoot: root });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = loadValidOs((require(path.join(dir, 'index.ts')) as { default: unknown }).default);
  expect(startingEventFile(os, root)).toBe(path.join(dir, 'events', 'invoice-received.json'));
  expect(
    startingEventFile({ ...os, workflows: os.workflows.map((w) => ({ ...w, triggers: w.triggers.filter((t) => t.kind !== 'event') })) }, root),
  ).toBeUndefined();
});
