/**
 * events/samples/bus/ holds the EventBridge events `aios send-event` puts on
 * the bus; each must be exactly what the webhook path makes of the vendor's
 * sample payload, so trying a workflow by event or by webhook is the same.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { webhookSources } from '../../../events';

const samples = path.join(__dirname, '../../../events/samples');
const cases: [string, string][] = [
  ['zendesk', 'zendesk.ticket-created.json'],
  ['stripe', 'stripe.charge.dispute.created.json'],
  ['hubspot', 'hubspot.contact.creation.json'],
];

test.each(cases)('%s: bus sample %s matches the normalised webhook payload', (vendor, file) => {
  const payload = JSON.parse(readFileSync(path.join(samples, file), 'utf8')) as unknown;
  const busEvent = JSON.parse(readFileSync(path.join(samples, 'bus', file), 'utf8')) as Record<string, unknown>;
  const source = webhookSources().get(vendor)!;
  const out = source.normalise(payload, { headers: {}, method: 'POST', path: `/webhooks/${vendor}`, rawBody: Buffer.from(JSON.stringify(payload)) } as never);
  expect(out.ok).toBe(true);
  if (!out.ok) return;
  expect(out.events).toHaveLength(1);
  expect(busEvent).toMatchObject({ source: `saas.${vendor}`, 'detail-type': out.events[0].detailType, detail: out.events[0].detail });
});
