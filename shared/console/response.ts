/** What a console route answers: a page or a redirect, and cookies to set. */
export interface ConsoleResponse {
  status: number;
  /** A whole HTML document (pages) — absent for redirects. */
  html?: string;
  /** Location of a 303 redirect. */
  location?: string;
  /** Set-Cookie header values. */
  cookies?: string[];
}

export const SESSION_COOKIE = 'aios_console_session';
export const BROWSER_COOKIE = 'aios_console_browser';

interface CookieOptions {
  secure: boolean;
  sameSite: 'Strict' | 'Lax';
  maxAgeSeconds: number;
}

/** An HttpOnly cookie scoped to the console. */
export function cookie(name: string, value: string, o: CookieOptions): string {
  return `${name}=${value}; Path=/console; HttpOnly; SameSite=${o.sameSite}; Max-Age=${o.maxAgeSeconds}${o.secure ? '; Secure' : ''}`;
}

export function clearCookie(name: string, secure: boolean): string {
  return cookie(name, '', { secure, sameSite: 'Strict', maxAgeSeconds: 0 });
}

export function page(status: number, html: string, cookies?: string[]): ConsoleResponse {
  return { status, html, ...(cookies?.length ? { cookies } : {}) };
}

export function redirect(location: string, cookies?: string[]): ConsoleResponse {
  return { status: 303, location, ...(cookies?.length ? { cookies } : {}) };
}
