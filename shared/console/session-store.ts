/**
 * Console sessions on the `Table` port (`state` table):
 *   pk `console-session#<sha256 of the session id>`  sk `session`
 * The browser holds the random id in an HttpOnly, SameSite=Strict cookie;
 * the table holds only its hash, the person, the expiry and the session's
 * CSRF token. Signing out deletes the item, so the cookie stops working.
 */
import type { Table } from '../storage/table';
import { isTokenShaped, newSecretToken, tokenHash } from './secret-token';

export interface ConsoleSession {
  personId: string;
  createdAt: string;
  expiresAt: string;
  /** Every state-changing form of this session carries it. */
  csrf: string;
}

const SK = 'session';
const pk = (id: string) => `console-session#${tokenHash(id)}`;

/** Eight hours: a working day, then sign in again. */
export const SESSION_SECONDS = 8 * 60 * 60;

export class SessionStore {
  constructor(private readonly table: Table) {}

  /** Creates a session; returns the id for the cookie (never stored). */
  async create(personId: string, now: Date): Promise<{ id: string; session: ConsoleSession }> {
    const id = newSecretToken();
    const session: ConsoleSession = {
      personId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_SECONDS * 1000).toISOString(),
      csrf: newSecretToken(),
    };
    // `ttl` lets DynamoDB remove expired sessions; expiry is also checked on every read.
    await this.table.put({ pk: pk(id), sk: SK, ...session, ttl: Math.floor(Date.parse(session.expiresAt) / 1000) }, { itemExists: false });
    return { id, session };
  }

  /** The live session of a cookie value, or undefined (unknown, signed out, expired, malformed). */
  async get(id: string | undefined, now: Date): Promise<ConsoleSession | undefined> {
    if (!isTokenShaped(id)) return undefined;
    const item = await this.table.get({ pk: pk(id), sk: SK });
    if (!item || now.getTime() >= Date.parse(String(item.expiresAt))) return undefined;
    return { personId: String(item.personId), createdAt: String(item.createdAt), expiresAt: String(item.expiresAt), csrf: String(item.csrf) };
  }

  /** Signs out: the session is gone for every later request. */
  async revoke(id: string | undefined): Promise<void> {
    if (!isTokenShaped(id)) return;
    await this.table.delete({ pk: pk(id), sk: SK });
  }
}
