/** HTML escaping for approval emails and pages: everything a person or an agent typed goes through `escapeHtml`. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for an HTML element body or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

/** One header-safe line: no CR/LF (header injection), collapsed spaces, at most `max` characters. */
export function oneLine(value: string, max = 180): string {
  const flat = value
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Pretty JSON of a tool input for display (escape before putting it in HTML). */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value ?? null, null, 2);
}
