/**
 * The definition reference (docs/reference.md), generated from the zod
 * schemas the definition is validated with, so the documentation of every
 * field cannot drift from what `aios validate` accepts.
 */
import { z } from 'zod';

type Json = Record<string, unknown>;

export interface ReferenceSection {
  title: string;
  /** What the part is and where it is written. */
  intro: string;
  schema: z.ZodType;
}

function jsonSchemaOf(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

class Renderer {
  private readonly out: string[] = [];
  private readonly pending: { heading: string; schema: Json }[] = [];
  private readonly named = new Map<string, string>();

  constructor(private readonly root: Json) {}

  private resolve(schema: Json): Json {
    let s = schema;
    for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) {
      const name = (s.$ref as string).replace(/^#\/\$defs\//, '');
      s = ((this.root.$defs as Json | undefined)?.[name] as Json | undefined) ?? {};
    }
    return s;
  }

  private alternatives(schema: Json): Json[] | undefined {
    const s = this.resolve(schema);
    const alts = (s.oneOf ?? s.anyOf) as Json[] | undefined;
    return alts?.map((a) => this.resolve(a));
  }

  /** A short description of a type, queueing a subsection for nested objects and unions. */
  private typeOf(schema: Json, heading: string, depth = 0): string {
    // Templates and conditions nest in themselves: past a few levels, name the recursion.
    if (depth > 3) return 'the same (nested)';
    const s = this.resolve(schema);
    if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
    if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => `\`${JSON.stringify(v)}\``).join(' | ');
    const alts = this.alternatives(s);
    if (alts) {
      const kinds = alts.map((a) => ((a.properties as Json | undefined)?.kind as Json | undefined)?.const).filter((k) => k !== undefined);
      if (kinds.length === alts.length && alts.length > 1) {
        this.queue(heading, s);
        return `one of ${kinds.map((k) => `\`${String(k)}\``).join(', ')} (see ${heading})`;
      }
      if (alts.length > 1 && alts.every((a) => a.type === 'object' && a.properties)) {
        this.queue(heading, s);
        return `one of ${alts.length} forms (see ${heading})`;
      }
      return [...new Set(alts.map((a) => this.typeOf(a, heading, depth + 1)))].join(' or ');
    }
    if (s.type === 'array') return `list of ${this.typeOf((s.items as Json | undefined) ?? {}, `${heading}[]`, depth + 1)}`;
    if (s.type === 'object' && s.properties) {
      this.queue(heading, s);
      return `object (see ${heading})`;
    }
    if (s.type === 'object')
      return s.additionalProperties && Object.keys(s.additionalProperties as Json).length > 0
        ? `map of ${this.typeOf(s.additionalProperties as Json, `${heading}.*`, depth + 1)}`
        : 'object';
    if (typeof s.type === 'string') return s.type;
    return 'any';
  }

  private queue(heading: string, schema: Json): void {
    const key = JSON.stringify(schema);
    if (this.named.has(key)) return;
    this.named.set(key, heading);
    this.pending.push({ heading, schema });
  }

  private constraints(schema: Json): string {
    const s = this.resolve(schema);
    const c: string[] = [];
    if (s.description) c.push(String(s.description));
    if (s.default !== undefined) c.push(`default \`${JSON.stringify(s.default)}\``);
    if (s.pattern) c.push(`matches \`${String(s.pattern)}\``);
    for (const [k, label] of [
      ['minLength', 'at least %s characters'],
      ['maxLength', 'at most %s characters'],
      ['minimum', '≥ %s'],
      ['maximum', '≤ %s'],
      ['minItems', 'at least %s'],
      ['maxItems', 'at most %s'],
    ] as const) {
      if (typeof s[k] === 'number' && Math.abs(s[k] as number) < 1e15) c.push(label.replace('%s', String(s[k])));
    }
    if (s.format) c.push(`format ${String(s.format)}`);
    return c.join('; ');
  }

  private table(heading: string, schema: Json): void {
    const s = this.resolve(schema);
    const alts = this.alternatives(s);
    if (alts) {
      for (const alt of alts) {
        const kind = ((alt.properties as Json | undefined)?.kind as Json | undefined)?.const;
        const label =
          kind !== undefined
            ? `\`${String(kind)}\``
            : ((alt.required as string[] | undefined) ?? Object.keys((alt.properties as Json | undefined) ?? {})).map((k) => `\`${k}\``).join(', ');
        this.out.push(`#### ${heading}: ${label}`, '');
        this.rows(`${heading} (${label})`, alt);
      }
      return;
    }
    this.rows(heading, s);
  }

  private rows(heading: string, s: Json): void {
    const props = (s.properties ?? {}) as Record<string, Json>;
    const required = new Set((s.required as string[] | undefined) ?? []);
    this.out.push('| field | type | required | notes |', '|---|---|---|---|');
    for (const [name, prop] of Object.entries(props)) {
      const base = heading.replace(/ \(.*\)$/, '');
      this.out.push(`| \`${name}\` | ${cell(this.typeOf(prop, `${base}.${name}`))} | ${required.has(name) ? 'yes' : ''} | ${cell(this.constraints(prop))} |`);
    }
    this.out.push('');
  }

  render(section: ReferenceSection): string[] {
    this.out.push(`## ${section.title}`, '', section.intro, '');
    this.table(section.title.toLowerCase(), this.root);
    while (this.pending.length > 0) {
      const next = this.pending.shift()!;
      this.out.push(`### ${next.heading}`, '');
      this.table(next.heading, next.schema);
    }
    return this.out;
  }
}

export function renderReference(sections: readonly ReferenceSection[]): string {
  const lines = [
    '# Definition reference',
    '',
    '<!-- Generated from the zod schemas by `npx aios reference`; test/unit/reference/reference.test.ts fails when it is out of date. Do not edit by hand. -->',
    '',
    'Every field a business writes in its definition (`os/index.ts` and the files it imports), in its recordings and in its scenarios, as `aios validate`, replay and `aios test` check them.',
    '',
    ...sections.map(
      (s) =>
        `- [${s.title}](#${s.title
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-')})`,
    ),
    '',
  ];
  for (const section of sections) lines.push(...new Renderer(jsonSchemaOf(section.schema)).render(section));
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
