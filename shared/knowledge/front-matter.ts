/**
 * The small front matter of a seed document:
 *
 *   ---
 *   namespace: support
 *   title: Refund policy
 *   tags: [refunds, returns]
 *   ---
 *
 * Only `key: value` lines are understood (values may be quoted; `tags` is a
 * `[a, b]` list or a comma-separated string). Anything richer is rejected
 * rather than half-parsed, so a typo surfaces at sync time.
 */
import * as z from '../mini-zod';
import { InvalidDocumentError } from './errors';
import { NAMESPACE_PATTERN } from './layout';

export { NAMESPACE_PATTERN };

/** Built on the first document read, not while the seed's custom resource loads. */
export const frontMatterSchema = /* @__PURE__ */ z.builtOnFirstUse(() =>
  z.strictObject({
    namespace: z.string().check(z.regex(NAMESPACE_PATTERN, 'lower-case letters, digits and dashes, starting with a letter')),
    title: z.string().check(z.minLength(1)),
    tags: z._default(z.array(z.string().check(z.minLength(1))), []),
    /** Overrides the id taken from the file name. */
    id: z.optional(z.string()),
  }),
);

export type FrontMatter = z.infer<ReturnType<typeof frontMatterSchema>>;

function unquote(v: string): string {
  const t = v.trim();
  return /^(["']).*\1$/.test(t) ? t.slice(1, -1) : t;
}

/** Splits `source` into validated front matter and the Markdown body. `where` names the file in errors. */
export function parseFrontMatter(source: string, where: string): { meta: FrontMatter; body: string } {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  if (!m) throw new InvalidDocumentError(`${where}: missing front matter (a --- block with namespace and title)`, { where });
  const raw: Record<string, unknown> = {};
  for (const [i, line] of m[1].split('\n').entries()) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const kv = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!kv) throw new InvalidDocumentError(`${where}: front matter line ${i + 2} is not "key: value": ${JSON.stringify(line)}`, { where, line });
    const [, key, value] = kv;
    if (key === 'tags') {
      const list = value.trim().replace(/^\[(.*)\]$/, '$1');
      raw.tags = list
        .split(',')
        .map(unquote)
        .filter((t) => t !== '');
    } else raw[key] = unquote(value);
  }
  const parsed = frontMatterSchema().safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InvalidDocumentError(`${where}: invalid front matter: ${issues}`, { where, issues: parsed.error.issues });
  }
  return { meta: parsed.data, body: text.slice(m[0].length).trim() };
}
