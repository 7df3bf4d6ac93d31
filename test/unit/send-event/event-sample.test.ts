/** `aios send-event` input: full events, PutEvents entries, and the SaaS webhook samples in events/samples. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EventSampleError, eventEntriesFromSample } from '../../../cli/event-sample';

const SAMPLES = path.join(__dirname, '..', '..', '..', 'events', 'samples');
const sample = (name: string) => eventEntriesFromSample(readFileSync(path.join(SAMPLES, name), 'utf8'), name);

describe('eventEntriesFromSample', () => {
  it('reads a full EventBridge event', () => {
    const text = JSON.stringify({
      version: '0',
      id: 'x',
      source: 'shop.orders',
      'detail-type': 'Order Paid',
      time: '2026-01-09T14:32:05Z',
      resources: ['arn:x'],
      detail: { orderId: 'KC-1', amount: 42 },
    });
    expect(eventEntriesFromSample(text, 'paid.json')).toEqual([
      {
        Source: 'shop.orders',
        DetailType: 'Order Paid',
        Detail: '{"orderId":"KC-1","amount":42}',
        Time: new Date('2026-01-09T14:32:05Z'),
        Resources: ['arn:x'],
      },
    ]);
  });

  it('reads a PutEvents entry (Detail as a string or an object) and a PutEvents request', () => {
    expect(eventEntriesFromSample(JSON.stringify({ Source: 's', DetailType: 'd', Detail: '{"a":1}' }), 'e.json')).toEqual([
      { Source: 's', DetailType: 'd', Detail: '{"a":1}' },
    ]);
    expect(
      eventEntriesFromSample(
        JSON.stringify({
          Entries: [
            { Source: 's', DetailType: 'd', Detail: { a: 1 }, EventBusName: 'other' },
            { source: 't', 'detail-type': 'u', detail: {} },
          ],
        }),
        'e.json',
      ),
    ).toEqual([
      { Source: 's', DetailType: 'd', Detail: '{"a":1}', EventBusName: 'other' },
      { Source: 't', DetailType: 'u', Detail: '{}' },
    ]);
  });

  it('normalises vendor webhook samples as webhook ingest does', () => {
    const [zendesk] = sample('zendesk.ticket-created.json');
    expect(zendesk.Source).toBe('saas.zendesk');
    expect(zendesk.DetailType).toBe('zen:event-type:ticket.created');
    expect(JSON.parse(zendesk.Detail!).subject).toBe('zen:ticket:4821');
    const [stripe] = sample('stripe.charge.dispute.created.json');
    expect(stripe).toMatchObject({ Source: 'saas.stripe' });
    const hubspot = sample('hubspot.contact.creation.json');
    expect(hubspot.length).toBeGreaterThanOrEqual(1);
    expect(hubspot[0].Source).toBe('saas.hubspot');
    // GitHub's event type travels in a header; the sample's name supplies it.
    expect(sample('github.issues.json')[0]).toMatchObject({ Source: 'saas.github', DetailType: 'issues' });
  });

  it('explains what is wrong with a file that is not an event', () => {
    expect(() => eventEntriesFromSample('{nope', 'bad.json')).toThrow(/bad\.json is not JSON/);
    expect(() => eventEntriesFromSample('{"name":"aios"}', 'package.json')).toThrow(EventSampleError);
    expect(() => eventEntriesFromSample('{"name":"aios"}', 'package.json')).toThrow(/expected \{ "source", "detail-type", "detail" \}/);
    expect(() => eventEntriesFromSample('{"source":"s","detail-type":"d","detail":[1]}', 'a.json')).toThrow(/detail must be a JSON object/);
    expect(() => eventEntriesFromSample('{"Source":"s"}', 'a.json')).toThrow(/needs "Source" and "DetailType"/);
  });
});
