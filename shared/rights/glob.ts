/**
 * Glob matching for rule targets: `*` matches any run of characters
 * (dots included, so `tickets.*` matches `tickets.reply` and `*` matches
 * everything), `?` exactly one. Everything else is literal.
 */
const cache = new Map<string, RegExp>();

function toRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 's');
    cache.set(glob, re);
  }
  return re;
}

/** True when `value` matches the glob or any glob of the list. */
export function matchesGlob(globs: string | readonly string[], value: string): boolean {
  return (typeof globs === 'string' ? [globs] : globs).some((g) => toRegExp(g).test(value));
}

/** The globs as one string for messages: `a`, or `a | b`. */
export function describeGlobs(globs: string | readonly string[]): string {
  return typeof globs === 'string' ? globs : globs.join(' | ');
}
