/**
 * Signed approval links. A link names the approval, the approver it was
 * sent to, the stage and an expiry, and carries an HMAC-SHA256 over them
 * (base64url), so it cannot be altered or reused by someone else. The form
 * on the page carries a second HMAC with a different purpose label, bound
 * to the same approval and approver: a POST needs the page, not just the link.
 *
 * The key comes from the `SigningKeyPort` (Secrets Manager on AWS, a file
 * generated once under AIOS_DATA_DIR locally).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Approval, ApprovalStage } from './approval';

export interface LinkClaims {
  approvalId: string;
  approver: string;
  stage: ApprovalStage;
  /** Unix seconds. */
  expiresAt: number;
}

/** Where the signing key comes from; injectable for tests. */
export type SigningKeyPort = () => Promise<string | Buffer>;

type Purpose = 'link' | 'form';

function mac(key: string | Buffer, purpose: Purpose, c: LinkClaims): string {
  // Newline-separated fields: ids and stages cannot contain newlines (checked), so no two claim sets share a message.
  return createHmac('sha256', key).update(`aios-approval-${purpose}\n${c.approvalId}\n${c.approver}\n${c.stage}\n${c.expiresAt}`).digest('base64url');
}

function sameMac(expected: string, given: string): boolean {
  // Compared as text, not decoded: a decoder accepts other spellings of the same bytes
  // (unused low bits, padding, skipped characters), and a link has exactly one.
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // Length is not secret (always 43 characters); compare in constant time when equal.
  return a.length === b.length && timingSafeEqual(a, b);
}

const SAFE = /^[A-Za-z0-9._:@-]{1,128}$/;

function claimsAreWellFormed(c: LinkClaims): boolean {
  return (
    SAFE.test(c.approvalId) &&
    SAFE.test(c.approver) &&
    (c.stage === 'primary' || c.stage === 'escalation') &&
    Number.isSafeInteger(c.expiresAt) &&
    c.expiresAt > 0
  );
}

/** The query string of a link for these claims: `a`, `s`, `e`, `sig`. */
export function signLink(key: string | Buffer, claims: LinkClaims): string {
  const q = new URLSearchParams({ a: claims.approver, s: claims.stage, e: String(claims.expiresAt), sig: mac(key, 'link', claims) });
  return q.toString();
}

/** The full URL of an approval link. */
export function approvalUrl(publicUrl: string, key: string | Buffer, claims: LinkClaims): string {
  return `${publicUrl.replace(/\/+$/, '')}/approvals/${encodeURIComponent(claims.approvalId)}?${signLink(key, claims)}`;
}

/** The form token for the page's POST. */
export function formToken(key: string | Buffer, claims: LinkClaims): string {
  return mac(key, 'form', claims);
}

export type LinkCheck =
  | { kind: 'ok'; claims: LinkClaims }
  | { kind: 'tampered' }
  | { kind: 'unknown' }
  | { kind: 'expired'; claims: LinkClaims }
  | { kind: 'foreign'; claims: LinkClaims }
  | { kind: 'escalated'; claims: LinkClaims }
  | { kind: 'closed'; claims: LinkClaims };

function claimsFrom(approvalId: string, params: Record<string, string | undefined>): LinkClaims | undefined {
  const { a, s, e } = params;
  if (a === undefined || s === undefined || e === undefined || !/^\d{1,12}$/.test(e)) return undefined;
  const claims = { approvalId, approver: a, stage: s as ApprovalStage, expiresAt: Number(e) };
  return claimsAreWellFormed(claims) ? claims : undefined;
}

/**
 * Checks a link (`purpose: 'link'`, params a/s/e/sig) or a form post
 * (`purpose: 'form'`, params a/s/e/t) against the approval it names.
 * Order: the signature first (so nothing about an approval leaks to a forged
 * link), then the approval's existence, whether it is still open, the stage,
 * the approver, and the expiry.
 */
export function checkLink(
  key: string | Buffer,
  purpose: Purpose,
  approvalId: string,
  params: Record<string, string | undefined>,
  approval: Approval | undefined,
  now: Date,
): LinkCheck {
  const claims = claimsFrom(approvalId, params);
  const given = purpose === 'link' ? params.sig : params.t;
  if (!claims || !given || !sameMac(mac(key, purpose, claims), given)) return { kind: 'tampered' };
  if (!approval) return { kind: 'unknown' };
  if (approval.status !== 'pending') return { kind: 'closed', claims };
  if (approval.stage !== claims.stage) return { kind: 'escalated', claims };
  if (!approval.approvers.includes(claims.approver)) return { kind: 'foreign', claims };
  if (now.getTime() >= claims.expiresAt * 1000 || now.getTime() >= Date.parse(approval.deadline)) return { kind: 'expired', claims };
  return { kind: 'ok', claims };
}
