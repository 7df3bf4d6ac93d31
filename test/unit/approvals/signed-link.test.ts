import type { Approval } from '../../../shared/approvals';
import { approvalUrl, checkLink, formToken, signLink } from '../../../shared/approvals';
import { tally } from '../../../shared/approvals';
import { KEY, T0 } from './fixture';

const approval = {
  id: 'abcdefghijklmnopqrstuvwx',
  status: 'pending',
  stage: 'primary',
  approvers: ['sam', 'priya'],
  deadline: new Date(T0.getTime() + 3600_000).toISOString(),
} as Approval;
const claims = { approvalId: approval.id, approver: 'sam', stage: 'primary' as const, expiresAt: T0.getTime() / 1000 + 3600 };
const q = (claimsOver: Partial<typeof claims> = {}) => Object.fromEntries(new URLSearchParams(signLink(KEY, { ...claims, ...claimsOver })));
const check = (query: Record<string, string | undefined>, a: Approval | undefined = approval, now = T0, id = approval.id) =>
  checkLink(KEY, 'link', id, query, a, now).kind;

/** 43 base64url characters carry 256 bits + 2 unused ones; flipping an unused bit decodes to the same bytes. */
function nonCanonical(sig: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const variant = sig.slice(0, -1) + alphabet[alphabet.indexOf(sig.at(-1)!) ^ 1];
  expect(Buffer.from(variant, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
  return variant;
}

describe('signed links', () => {
  test('a good link checks ok and carries only approver, stage, expiry and signature', () => {
    expect(Object.keys(q()).sort()).toEqual(['a', 'e', 's', 'sig']);
    expect(check(q())).toBe('ok');
    expect(approvalUrl('https://x.example/', KEY, claims)).toMatch(
      /^https:\/\/x\.example\/approvals\/abcdefghijklmnopqrstuvwx\?a=sam&s=primary&e=\d+&sig=[\w-]{43}$/,
    );
  });

  test.each([
    ['another approver put in', (p: Record<string, string>) => ({ ...p, a: 'priya' })],
    ['a later expiry', (p: Record<string, string>) => ({ ...p, e: String(Number(p.e) + 86_400) })],
    ['another stage', (p: Record<string, string>) => ({ ...p, s: 'escalation' })],
    ['a flipped signature character', (p: Record<string, string>) => ({ ...p, sig: (p.sig[0] === 'A' ? 'B' : 'A') + p.sig.slice(1) })],
    ['a truncated signature', (p: Record<string, string>) => ({ ...p, sig: p.sig.slice(0, 20) })],
    ['no signature', (p: Record<string, string>) => ({ ...p, sig: undefined as unknown as string })],
    ['no approver', (p: Record<string, string>) => ({ ...p, a: undefined as unknown as string })],
    ['a non-numeric expiry', (p: Record<string, string>) => ({ ...p, e: '1e99' })],
    ['a form token used as the link signature', (p: Record<string, string>) => ({ ...p, sig: formToken(KEY, claims) })],
    // The same 32 bytes written differently: other unused bits in the last character, padding, standard alphabet, junk the decoder skips.
    ['a non-canonical base64url signature', (p: Record<string, string>) => ({ ...p, sig: nonCanonical(p.sig) })],
    ['a padded signature', (p: Record<string, string>) => ({ ...p, sig: `${p.sig}=` })],
    ['a signature in the standard base64 alphabet', (p: Record<string, string>) => ({ ...p, sig: Buffer.from(p.sig, 'base64url').toString('base64') })],
    ['a signature with characters the decoder skips', (p: Record<string, string>) => ({ ...p, sig: `${p.sig.slice(0, 10)}!${p.sig.slice(10)}` })],
  ])('tampered: %s', (_, edit) => {
    expect(check(edit(q()))).toBe('tampered');
  });

  test('signed with another key: tampered', () => {
    const other = Object.fromEntries(new URLSearchParams(signLink('another-key', claims)));
    expect(check(other)).toBe('tampered');
  });

  test('the link of another approval: tampered (the id is signed)', () => {
    expect(check(q(), { ...approval, id: 'zzzzzzzzzzzzzzzzzzzzzzzz' }, T0, 'zzzzzzzzzzzzzzzzzzzzzzzz')).toBe('tampered');
  });

  test('unknown approval', () => {
    expect(checkLink(KEY, 'link', approval.id, q(), undefined, T0).kind).toBe('unknown');
  });

  test('expired: after the link expiry or the approval deadline', () => {
    expect(check(q(), approval, new Date(T0.getTime() + 3600_000))).toBe('expired');
    expect(check(q({ expiresAt: claims.expiresAt + 7200 }), approval, new Date(T0.getTime() + 3600_000))).toBe('expired');
  });

  test('foreign: a validly signed link for someone who is not an approver', () => {
    expect(check(q({ approver: 'leo' }))).toBe('foreign');
  });

  test('escalated and closed approvals', () => {
    expect(check(q(), { ...approval, stage: 'escalation' })).toBe('escalated');
    expect(check(q(), { ...approval, status: 'approved' })).toBe('closed');
  });

  test('form tokens: bound to approval and approver, distinct from the link signature', () => {
    const form = { a: 'sam', s: 'primary', e: String(claims.expiresAt), t: formToken(KEY, claims) };
    expect(checkLink(KEY, 'form', approval.id, form, approval, T0).kind).toBe('ok');
    expect(checkLink(KEY, 'form', approval.id, { ...form, a: 'priya' }, approval, T0).kind).toBe('tampered');
    expect(checkLink(KEY, 'form', approval.id, { ...form, t: q().sig }, approval, T0).kind).toBe('tampered');
  });
});

describe('tally', () => {
  const d = (approver: string, vote: 'approve' | 'reject') => ({ approver, vote });
  test('quorum counts different approvers; a rejection that makes it unreachable rejects', () => {
    expect(tally(['a', 'b', 'c'], 2, [d('a', 'approve')]).outcome).toBe('pending');
    expect(tally(['a', 'b', 'c'], 2, [d('a', 'approve'), d('a', 'approve')]).outcome).toBe('pending');
    expect(tally(['a', 'b', 'c'], 2, [d('a', 'approve'), d('b', 'approve')]).outcome).toBe('approved');
    expect(tally(['a', 'b', 'c'], 2, [d('a', 'reject')]).outcome).toBe('pending');
    expect(tally(['a', 'b', 'c'], 2, [d('a', 'reject'), d('b', 'reject')]).outcome).toBe('rejected');
    expect(tally(['a', 'b'], 1, [d('a', 'reject')]).outcome).toBe('pending');
    expect(tally(['a'], 1, [d('a', 'reject')]).outcome).toBe('rejected');
    expect(tally(['a', 'b'], 1, [d('mallory', 'approve')]).outcome).toBe('pending');
  });
});
