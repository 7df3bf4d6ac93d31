/** The console's frame (navigation, who is signed in) and small formatting pieces, in the shared look. */
import { escapeHtml } from '../../approvals/html';
import { pageFrame } from '../../look/page';
import type { Viewer } from '../access';
import { CONSOLE_LOOK } from './console-look';

export { escapeHtml };

function nav(viewer: Viewer): string {
  return `<header class="top"><a class="brand" href="/console">AIOS console</a><a href="/console/runs">Runs</a><a href="/console/approvals">Approvals</a>${viewer.admin ? '<a href="/console/outcomes">Outcomes</a><a href="/console/rights">Rights</a><a href="/console/knowledge">Knowledge</a><a href="/console/audit">Audit</a>' : ''}
<span class="small">${escapeHtml(viewer.person.name)}${viewer.admin ? ' · admin' : ''}</span>
<form method="post" action="/console/sign-out">${csrfField(viewer)}<button type="submit">Sign out</button></form></header>`;
}

/** A console page for a signed-in person. */
export function consolePage(viewer: Viewer, title: string, body: string, options: { refreshSeconds?: number; picture?: boolean } = {}): string {
  return pageFrame({ title, body, nav: nav(viewer), look: CONSOLE_LOOK, ...options });
}

/** A page for someone not signed in (sign-in forms and notices). */
export function publicPage(title: string, body: string): string {
  return pageFrame({ title, body, narrow: true, look: CONSOLE_LOOK });
}

/** The hidden CSRF field every state-changing form carries. */
export function csrfField(viewer: Pick<Viewer, 'csrf'>): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(viewer.csrf)}">`;
}

/** `2026-12-06 14:05 UTC` */
export function when(value: string | Date | undefined): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? '' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function usd(amount: number): string {
  return `$${amount.toFixed(amount > 0 && amount < 0.01 ? 4 : 2)}`;
}

export function badge(status: string): string {
  return `<span class="status s-${escapeHtml(status.replace(/[^A-Za-z_]/g, ''))}">${escapeHtml(status.toLowerCase().replace(/_/g, ' '))}</span>`;
}

export function runLink(runId: string): string {
  return `<a href="/console/runs/${encodeURIComponent(runId)}">${escapeHtml(runId)}</a>`;
}

export function approvalLink(id: string, text: string): string {
  return `<a href="/console/approvals/${encodeURIComponent(id)}">${escapeHtml(text)}</a>`;
}

/** A page that says something went wrong or is not allowed; nothing changed. */
export function noticePage(viewer: Viewer | undefined, title: string, text: string): string {
  const body = `<p class="notice bad">${escapeHtml(text)}</p><p><a href="/console">Back to the console</a></p>`;
  return viewer ? consolePage(viewer, title, body) : publicPage(title, body);
}
