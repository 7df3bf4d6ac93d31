import { createHmac } from 'node:crypto';
import { aiosEvent, createGenericHmacSource, genericConfigsFromEnv, webhookVendors } from '../../../events';
import { createWebhookIngest, MemoryRefusalLog, RecordingPublisher, TableDeliveryLedger } from '../../../shared/webhooks';
import { MemoryTable } from '../../../shared/storage/memory-table';

const NOW = new Date('2026-01-09T15:00:00Z');
const body = Buffer.from('{"kind":"invoice.created","ref":"INV-7"}');

function ingestFor(config: Parameters<typeof createGenericHmacSource>[0], secret = 's3cret') {
  const source = createGenericHmacSource(config);
  const publisher = new RecordingPublisher();
  const ingest = createWebhookIngest({
    sources: new Map([[source.name, source]]),
    secrets: { getSecret: async () => secret },
    ledger: new TableDeliveryLedger(new MemoryTable()),
    publisher,
    refusals: new MemoryRefusalLog(),
    now: () => NOW,
  });
  return { source, publisher, ingest };
}

describe('generic HMAC source', () => {
  it('verifies a hand-computed base64 sha512 signature over method + url + body, with an ISO timestamp', async () => {
    const { ingest, publisher } = ingestFor({
      name: 'acme',
      header: 'X-Acme-Signature',
      algorithm: 'sha512',
      encoding: 'base64',
      timestamp: { header: 'X-Acme-Time', format: 'iso' },
      signedPayload: '{timestamp}\n{method} {url}\n{body}',
      eventTypeField: 'kind',
      deliveryIdField: 'ref',
    });
    const url = 'https://hooks.example/webhooks/acme';
    const ts = '2026-01-09T14:59:00Z';
    const signature = createHmac('sha512', 's3cret').update(`${ts}\nPOST ${url}\n`).update(body).digest('base64');
    const headers = { 'content-type': 'application/json', 'x-acme-signature': signature, 'x-acme-time': ts };
    const res = await ingest({ source: 'acme', method: 'POST', url, headers, body });
    expect(res.status).toBe(200);
    expect(publisher.events).toEqual([expect.objectContaining({ source: 'saas.acme', detailType: 'invoice.created' })]);
    expect((await ingest({ source: 'acme', method: 'POST', url: `${url}?x=1`, headers, body })).status).toBe(401);
    const late = { ...headers, 'x-acme-time': '2026-01-09T14:50:00Z' };
    late['x-acme-signature'] = createHmac('sha512', 's3cret').update(`${late['x-acme-time']}\nPOST ${url}\n`).update(body).digest('base64');
    expect(JSON.parse((await ingest({ source: 'acme', method: 'POST', url, headers: late, body })).body).error.code).toBe('Webhook.Expired');
  });

  it('without a timestamp, signs the body alone; sha1 hex with a prefix', async () => {
    const { ingest, publisher } = ingestFor({ name: 'legacy', header: 'x-sig', algorithm: 'sha1', prefix: 'sha1=' });
    const signature = `sha1=${createHmac('sha1', 's3cret').update(body).digest('hex')}`;
    const res = await ingest({ source: 'legacy', method: 'POST', url: 'http://x', headers: { 'content-type': 'application/json', 'x-sig': signature }, body });
    expect(res.status).toBe(200);
    expect(publisher.events[0].detailType).toBe('webhook');
  });

  it('rejects a config with a typo or a bad value', () => {
    expect(() => createGenericHmacSource({ name: 'acme', algoritm: 'sha256' } as never)).toThrow(expect.objectContaining({ code: 'Webhook.InvalidConfig' }));
    expect(() => createGenericHmacSource({ name: 'Acme!' })).toThrow(/name/);
    expect(() => createGenericHmacSource({ name: 'acme', signedPayload: '{timestamp}' })).toThrow(/signedPayload/);
    expect(() => genericConfigsFromEnv({ AIOS_WEBHOOK_GENERIC_SOURCES: '{' })).toThrow(expect.objectContaining({ code: 'Webhook.InvalidConfig' }));
    expect(() => webhookVendors([{ name: 'stripe' }])).toThrow(/built-in/);
    expect([...webhookVendors([{ name: 'acme' }]).keys()]).toContain('acme');
  });
});

describe('aios.* events', () => {
  it('builds validated events with source aios', () => {
    const event = aiosEvent(
      'aios.run.started',
      { runId: 'r1', workflowId: 'support-desk', startedAt: '2026-01-09T15:00:00Z', trigger: { kind: 'event', source: 'saas.zendesk' } },
      NOW,
    );
    expect(event).toEqual({
      source: 'aios',
      detailType: 'aios.run.started',
      time: NOW,
      detail: { runId: 'r1', workflowId: 'support-desk', startedAt: '2026-01-09T15:00:00Z', trigger: { kind: 'event', source: 'saas.zendesk' } },
    });
    expect(
      aiosEvent('aios.approval.decided', {
        approvalId: 'a1',
        runId: 'r1',
        workflowId: 'support-desk',
        stepId: 'triage',
        agentId: 'triage',
        stage: 'primary',
        outcome: 'approved',
        approved: true,
        decidedBy: ['sam'],
        decidedAt: '2026-01-09T15:00:00Z',
      }).detailType,
    ).toBe('aios.approval.decided');
  });

  it('refuses a detail that does not match its schema', () => {
    expect(() => aiosEvent('aios.run.failed', { runId: 'r1', workflowId: 'w', endedAt: 'yesterday', error: 'x' })).toThrow(
      expect.objectContaining({ code: 'Events.InvalidAiosEvent' }),
    );
    expect(() =>
      aiosEvent('aios.approval.requested', {
        approvalId: 'a',
        runId: 'r',
        workflowId: 'w',
        stepId: 's',
        agentId: null,
        stage: 'primary',
        approvers: [],
        quorum: 1,
        requestedAt: '2026-01-09T15:00:00Z',
        expiresAt: '2026-01-10T15:00:00Z',
      }),
    ).toThrow(/approvers/);
  });
});
