/** docs/reference.md is generated from the schemas; this fails when a schema changed and the file did not. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REFERENCE_FILE, referenceSections } from '../../../cli/reference/reference-sections';
import { renderReference } from '../../../cli/reference/render-reference';
import { DEFINITION_SECTIONS } from '../../../shared/definition/validate';

const root = path.join(__dirname, '..', '..', '..');

it(`${REFERENCE_FILE} is up to date (regenerate it with: npx aios reference)`, () => {
  const current = readFileSync(path.join(root, REFERENCE_FILE), 'utf8');
  const generated = renderReference(referenceSections);
  if (current !== generated) throw new Error(`${REFERENCE_FILE} is out of date: run \`npx aios reference\` and commit the result`);
});

it('documents every part a business writes, with the fields of each', () => {
  const text = renderReference(referenceSections);
  for (const title of ['Definition', 'People', 'Tools', 'Agents', 'Knowledge', 'Decision rules', 'Lists', 'Facts', 'Workflows', 'Recordings', 'Scenarios'])
    expect(text).toContain(`\n## ${title}\n`);
  expect(text).toMatch(/\| `quorum` \| integer \|/);
  expect(text).toContain('#### workflows.triggers[]: `schedule`');
  expect(text).toContain('| `alternatives` | list of object (see recordings.turns[].alternatives[])');
  expect(text).toContain('#### workflows.steps[]: `approval`');
});

it('the Definition section documents exactly the fields a definition may have', () => {
  const definition = referenceSections.find((s) => s.title === 'Definition')!;
  expect(Object.keys((definition.schema as unknown as { shape: Record<string, unknown> }).shape)).toEqual(DEFINITION_SECTIONS);
});
