/**
 * Verifiers against signatures computed independently of our signers (node
 * crypto, following each vendor's documented recipe), so a shared sign/verify
 * mistake cannot hide.
 */
import { createHmac } from 'node:crypto';
import { verifyGitHub } from '../../../events/github';
import { verifyHubSpot } from '../../../events/hubspot';
import { verifyShopify } from '../../../events/shopify';
import { verifySlack } from '../../../events/slack';
import { verifyStripe } from '../../../events/stripe';
import { verifyZendesk } from '../../../events/zendesk';

const body = Buffer.from('{"id":"evt_1","object":"event"}');
const req = (headers: Record<string, string>, extra: { method?: string; url?: string; body?: Buffer } = {}) => ({
  method: extra.method ?? 'POST',
  url: extra.url ?? 'https://hooks.example/webhooks/x',
  headers,
  body: extra.body ?? body,
});
const mac = (key: string, data: string, enc: 'hex' | 'base64') => createHmac('sha256', key).update(data).digest(enc);

describe('documented signature recipes', () => {
  it('Zendesk: base64 HMAC-SHA256 of TIMESTAMP + BODY (the current documentation; an older page showed BODY + TIMESTAMP)', () => {
    const secret = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
    const ts = '2021-07-25T10:00:00Z';
    const payload = '{"say": "hello"}';
    const headers = { 'x-zendesk-webhook-signature': mac(secret, ts + payload, 'base64'), 'x-zendesk-webhook-signature-timestamp': ts };
    const r = req(headers, { body: Buffer.from(payload) });
    expect(verifyZendesk(r, [secret], new Date('2021-07-25T10:01:00Z'))).toEqual({ ok: true });
    expect(verifyZendesk(r, [secret], new Date('2021-07-25T10:06:00Z'))).toMatchObject({ ok: false, reason: 'expired' });
    const reversed = { ...headers, 'x-zendesk-webhook-signature': mac(secret, payload + ts, 'base64') };
    expect(verifyZendesk(req(reversed, { body: Buffer.from(payload) }), [secret], new Date('2021-07-25T10:01:00Z'))).toMatchObject({ reason: 'bad_signature' });
  });

  it('Stripe: v1 = hex HMAC-SHA256 of "t.body"', () => {
    const t = '1767970800';
    const sig = mac('whsec_x', `${t}.${body}`, 'hex');
    expect(verifyStripe(req({ 'stripe-signature': `t=${t},v1=${sig}` }), ['whsec_x'], new Date(Number(t) * 1000))).toEqual({ ok: true });
    expect(verifyStripe(req({ 'stripe-signature': `t=${t},v1=${sig}` }), ['whsec_x'], new Date((Number(t) + 301) * 1000))).toMatchObject({ reason: 'expired' });
    expect(verifyStripe(req({ 'stripe-signature': `t=${t},v1=${sig.toUpperCase()}` }), ['whsec_x'], new Date(Number(t) * 1000))).toMatchObject({
      reason: 'bad_signature',
    });
  });

  it('GitHub: sha256=<hex HMAC of the body>', () => {
    expect(verifyGitHub(req({ 'x-hub-signature-256': `sha256=${mac('k', body.toString(), 'hex')}` }), ['k'])).toEqual({ ok: true });
    expect(verifyGitHub(req({ 'x-hub-signature-256': mac('k', body.toString(), 'hex') }), ['k'])).toMatchObject({ reason: 'bad_signature' });
  });

  it('Shopify: base64 HMAC of the body', () => {
    expect(verifyShopify(req({ 'x-shopify-hmac-sha256': mac('k', body.toString(), 'base64') }), ['k'])).toEqual({ ok: true });
    expect(verifyShopify(req({ 'x-shopify-hmac-sha256': mac('k', body.toString(), 'hex') }), ['k'])).toMatchObject({ reason: 'bad_signature' });
  });

  it('Slack: v0=<hex HMAC of "v0:timestamp:body">, 5 minutes', () => {
    const ts = '1767970800';
    const headers = { 'x-slack-request-timestamp': ts, 'x-slack-signature': `v0=${mac('k', `v0:${ts}:${body}`, 'hex')}` };
    expect(verifySlack(req(headers), ['k'], new Date(Number(ts) * 1000 + 299_000))).toEqual({ ok: true });
    expect(verifySlack(req(headers), ['k'], new Date(Number(ts) * 1000 + 301_000))).toMatchObject({ reason: 'expired' });
  });

  it('HubSpot v3: base64 HMAC of method + decoded URI + body + timestamp (ms)', () => {
    const ts = '1767970800000';
    const signed = `POSThttps://hooks.example/webhooks/hubspot?portal=1&tags=a,b${body}${ts}`;
    const headers = { 'x-hubspot-request-timestamp': ts, 'x-hubspot-signature-v3': mac('k', signed, 'base64') };
    const r = req(headers, { url: 'https://hooks.example/webhooks/hubspot?portal=1&tags=a%2Cb' });
    expect(verifyHubSpot(r, ['k'], new Date(Number(ts) + 60_000))).toEqual({ ok: true });
    expect(verifyHubSpot(r, ['k'], new Date(Number(ts) + 301_000))).toMatchObject({ reason: 'expired' });
    expect(verifyHubSpot({ ...r, method: 'PUT' }, ['k'], new Date(Number(ts)))).toMatchObject({ reason: 'bad_signature' });
  });
});
