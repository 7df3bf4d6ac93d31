/**
 * Sign-in links on the `Table` port (`state` table):
 *   pk `console-sign-in#<sha256 of the link token>`  sk `link`
 * A link belongs to one person and to the browser that asked for it (the
 * hash of that browser's binding cookie), expires after 15 minutes and is
 * used at most once: using it is a conditional write from unused to used.
 */
import { ConditionFailedError, type Table } from '../storage/table';
import { isTokenShaped, newSecretToken, tokenHash } from './secret-token';

export interface SignInLink {
  personId: string;
  /** SHA-256 of the browser binding cookie of the browser that asked. */
  browser: string;
  createdAt: string;
  expiresAt: string;
  used: boolean;
}

const SK = 'link';
const pk = (token: string) => `console-sign-in#${tokenHash(token)}`;

export const SIGN_IN_LINK_SECONDS = 15 * 60;

export type LinkState = { kind: 'usable'; link: SignInLink } | { kind: 'unknown' } | { kind: 'used' } | { kind: 'expired' };

export class SignInLinkStore {
  constructor(private readonly table: Table) {}

  /** A new link for `personId`, bound to the browser id; returns the token for the email. */
  async create(personId: string, browserId: string, now: Date): Promise<string> {
    const token = newSecretToken();
    const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_SECONDS * 1000).toISOString();
    const link: SignInLink = { personId, browser: tokenHash(browserId), createdAt: now.toISOString(), expiresAt, used: false };
    await this.table.put({ pk: pk(token), sk: SK, ...link, ttl: Math.floor(Date.parse(expiresAt) / 1000) + 86_400 }, { itemExists: false });
    return token;
  }

  /** What a token is now; reading never uses it up. */
  async state(token: string, now: Date): Promise<LinkState> {
    if (!isTokenShaped(token)) return { kind: 'unknown' };
    const item = await this.table.get({ pk: pk(token), sk: SK });
    if (!item) return { kind: 'unknown' };
    if (item.used === true) return { kind: 'used' };
    if (now.getTime() >= Date.parse(String(item.expiresAt))) return { kind: 'expired' };
    return {
      kind: 'usable',
      link: {
        personId: String(item.personId),
        browser: String(item.browser),
        createdAt: String(item.createdAt),
        expiresAt: String(item.expiresAt),
        used: false,
      },
    };
  }

  /** Uses the link up; true for the one caller that did. */
  async use(token: string, now: Date): Promise<boolean> {
    try {
      await this.table.update(
        { pk: pk(token), sk: SK },
        { set: { used: true, usedAt: now.toISOString() } },
        { all: [{ field: 'used', op: 'eq', value: false }] },
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }
}
