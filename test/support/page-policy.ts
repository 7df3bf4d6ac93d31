/**
 * Whether a page's inline stylesheets are the ones its Content-Security-Policy allows by hash: a browser applies
 * a `<style>` only when its text hashes to a listed `style-src` source, so a page whose look and policy drift apart
 * renders unstyled without any error on the server.
 */
import { createHash } from 'node:crypto';

export function stylesAllowed(html: string, csp: string | null | undefined): boolean {
  const allowed = /style-src ([^;]*)/.exec(csp ?? '')?.[1].split(' ') ?? [];
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  return styles.length > 0 && styles.every((css) => allowed.includes(`'sha256-${createHash('sha256').update(css).digest('base64')}'`));
}
