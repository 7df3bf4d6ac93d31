/**
 * What `aios start` gives a workflow started by hand: the file given; a
 * scheduled one its schedule's input; a manual one `{}` only when its steps
 * read no event (with `{}` one that does fails at its first step), else a
 * clear error naming what it reads.
 */
import exampleOs from '../../../examples/kestrel-coffee';
import { StartNeedsInputError, StartReadsEventError, manualStartInput } from '../../../cli/start-input';
import type { Workflow } from '../../../shared/definition';

const NOW = new Date('2026-12-07T13:00:00Z');
const workflow = (id: string): Workflow => exampleOs.workflows.find((w) => w.id === id)!;

test('a manual workflow whose steps read the event needs one; given, it is the input', () => {
  expect(() => manualStartInput(workflow('support-desk'), undefined, NOW)).toThrow(StartReadsEventError);
  expect(() => manualStartInput(workflow('support-desk'), undefined, NOW)).toThrow(
    'workflow "support-desk" reads the event that starts it (event.source): give one with --input <file.json>',
  );
  expect(() => manualStartInput(workflow('sales-follow-up'), undefined, NOW)).toThrow('(event.detail');
  expect(manualStartInput(workflow('support-desk'), { source: 'saas.zendesk' }, NOW)).toEqual({ source: 'saas.zendesk' });
});

test('a manual workflow that reads no event gets {}; one started by events only needs its event; a scheduled one its input', () => {
  const support = workflow('support-desk');
  expect(manualStartInput({ ...support, steps: [{ ...support.steps[0], input: { note: 'by hand' } }] } as Workflow, undefined, NOW)).toEqual({});
  expect(() => manualStartInput({ ...support, triggers: support.triggers.filter((t) => t.kind !== 'manual') }, undefined, NOW)).toThrow(StartNeedsInputError);
  expect(manualStartInput(workflow('weekly-review'), undefined, NOW)).toMatchObject({ source: 'aios.scheduler' });
});
