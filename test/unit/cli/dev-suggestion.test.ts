/** The banner of `npm start` suggests an event that starts one of the definition's workflows. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import exampleOs from '../../../examples/kestrel-coffee';
import { startingEvent, tryLines, webhookSample } from '../../../cli/dev-suggestion';
import { writeStarter } from '../../../cli/init/write-starter';
import { loadValidOs } from '../../../shared/definition';

const root = path.join(__dirname, '..', '..', '..');

it('for the example, a bus sample its rules match, and the workflow it starts', () => {
  const os = loadValidOs(exampleOs);
  const starting = startingEvent(os, root);
  expect(starting && path.relative(root, starting.file)).toMatch(/^events\/samples\/bus\/(hubspot|stripe|zendesk)\./);
  const workflow = os.workflows.find((w) => w.id === starting?.workflowId);
  expect(workflow?.triggers.some((t) => t.kind === 'event')).toBe(true);
});

it("for the init starter, its own sample event, not a vendor's sample no rule of it listens to", () => {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'aios-suggest-')), 'mine');
  writeStarter({ dir, projectRoot: root });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = loadValidOs((require(path.join(dir, 'index.ts')) as { default: unknown }).default);
  expect(startingEvent(os, root)).toEqual({ file: path.join(dir, 'events', 'invoice-received.json'), workflowId: 'invoice-intake' });
  expect(
    startingEvent({ ...os, workflows: os.workflows.map((w) => ({ ...w, triggers: w.triggers.filter((t) => t.kind !== 'event') })) }, root),
  ).toBeUndefined();
});

it('a run started by hand gets the event the banner suggests, and every line names the runtime', () => {
  const lines = tryLines('AIOS_PORT=4767', { file: 'events/samples/bus/hubspot.contact.creation.json', workflowId: 'sales-follow-up' }, 'support-desk');
  expect(lines).toEqual([
    'Try:  AIOS_PORT=4767 npx aios send-event events/samples/bus/hubspot.contact.creation.json',
    'then: AIOS_PORT=4767 npx aios runs',
    'or:   AIOS_PORT=4767 npx aios start sales-follow-up --input events/samples/bus/hubspot.contact.creation.json',
  ]);
});

it('without a sample event, the banner suggests starting the workflow by hand once', () => {
  expect(tryLines('AIOS_PORT=4767', undefined, 'month-end')).toEqual([
    'Try:  AIOS_PORT=4767 npx aios start month-end [--input <event.json>]',
    'then: AIOS_PORT=4767 npx aios runs',
  ]);
});

it("the webhook to try is a vendor's sample some trigger listens for, and none for a definition no vendor starts", () => {
  const example = webhookSample(loadValidOs(exampleOs), root);
  expect(example && { vendor: example.vendor, file: path.relative(root, example.file) }).toEqual({
    vendor: 'hubspot',
    file: 'events/samples/hubspot.contact.creation.json',
  });
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'aios-suggest-')), 'mine');
  writeStarter({ dir, projectRoot: root });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(webhookSample(loadValidOs((require(path.join(dir, 'index.ts')) as { default: unknown }).default), root)).toBeUndefined();
});
