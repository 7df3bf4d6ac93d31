/**
 * EventBridge wildcard values: `*` matches any run of characters, `\*` is a
 * literal asterisk and `\\` a literal backslash. Consecutive `*` and any other
 * escape are refused, as EventBridge refuses them.
 */

/** The reason a wildcard value is refused, or null when it is valid. */
export function wildcardProblem(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '*' && value[i + 1] === '*') return `consecutive wildcard characters at position ${i} of "${value}"`;
    if (c === '\\') {
      const next = value[i + 1];
      if (next !== '*' && next !== '\\') return `invalid escape at position ${i} of "${value}": only \\* and \\\\ may be escaped`;
      i++;
    }
  }
  return null;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** Compiles a valid wildcard value into an anchored regular expression. */
export function wildcardToRegExp(value: string): RegExp {
  let source = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '*') source += '.*';
    else if (c === '\\') source += value[++i].replace(REGEX_SPECIAL, '\\$&');
    else source += c.replace(REGEX_SPECIAL, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}
