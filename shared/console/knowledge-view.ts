/**
 * GET /console/knowledge (admins): namespaces, their documents with version
 * and provenance (the seed file, or the run and agent that remembered it),
 * a document's versions, and a search with exactly the ranking agents get
 * (the same store's `search`). POST /console/knowledge/retire: an admin
 * retires something an agent remembered that is wrong — audited with who
 * and why — and no search finds it from then on. Seed documents change in
 * their files, so only remembered ones are retired here.
 */
import type { KnowledgeDocument } from '../knowledge';
import type { Viewer } from './access';
import { consoleChain, type ConsoleDeps, type ConsoleKnowledge } from './deps';
import { ConsoleBadInputError } from './errors';
import { forbidden } from './forbidden';
import { consolePage, csrfField, escapeHtml, runLink, when } from './pages/layout';
import { page, redirect, type ConsoleResponse } from './response';

function store(deps: ConsoleDeps): ConsoleKnowledge {
  if (!deps.knowledge) throw new ConsoleBadInputError('this console has no knowledge base configured');
  return deps.knowledge;
}

function provenance(d: KnowledgeDocument): string {
  return d.source.kind === 'seed'
    ? `seed file <code>${escapeHtml(d.source.path)}</code>`
    : `remembered by agent <strong>${escapeHtml(d.source.agentId)}</strong> in run ${runLink(d.source.runId)} at ${escapeHtml(when(d.source.at))}`;
}

const nsLink = (ns: string) => `<a href="/console/knowledge?ns=${encodeURIComponent(ns)}">${escapeHtml(ns)}</a>`;

/** The longest search the knowledge base takes (its reader's limit); the form says so too. */
const MAX_SEARCH_CHARS = 2000;

/** GET /console/knowledge[?ns=][&doc=][&q=] */
export async function showKnowledge(deps: ConsoleDeps, viewer: Viewer, query: Record<string, string>): Promise<ConsoleResponse> {
  if (!viewer.admin) return forbidden(deps, viewer, '/console/knowledge', 'The knowledge base is for admins.');
  const s = store(deps);
  const namespaces = await s.listNamespaces();
  const ns = query.ns && namespaces.includes(query.ns) ? query.ns : undefined;
  const parts: string[] = [`<p>Namespaces: ${namespaces.map(nsLink).join(' · ') || '<span class="muted">none</span>'}</p>`];
  parts.push(`<form method="get" action="/console/knowledge" class="card"><p><label>Search <input type="search" name="q" value="${escapeHtml(query.q ?? '')}" maxlength="${MAX_SEARCH_CHARS}"></label>
<label>in <select name="ns"><option value="">all namespaces</option>${namespaces.map((n) => `<option value="${escapeHtml(n)}"${n === ns ? ' selected' : ''}>${escapeHtml(n)}</option>`).join('')}</select></label> <button type="submit">Search</button></p></form>`);
  if (query.q?.trim()) {
    if (query.q.length > MAX_SEARCH_CHARS)
      throw new ConsoleBadInputError(`A search is at most ${MAX_SEARCH_CHARS} characters; this one has ${query.q.length}.`);
    const hits = await s.search({ query: query.q, ...(ns ? { namespaces: [ns] } : {}), limit: 10 });
    parts.push(
      `<h2>Results, ranked as agents get them</h2>${
        hits.length
          ? `<ol class="hits">${hits.map((h) => `<li data-doc="${escapeHtml(`${h.namespace}/${h.docId}`)}"><p><strong>${escapeHtml(h.document.title)}</strong> <span class="small muted">${escapeHtml(h.namespace)}/${escapeHtml(h.docId)} v${h.version} · score ${h.score.toFixed(3)}</span></p><pre>${escapeHtml(h.text)}</pre></li>`).join('')}</ol>`
          : '<p class="muted">Nothing found.</p>'
      }`,
    );
  }
  if (ns) {
    const docs = await s.listDocuments(ns, { includeRetired: true });
    parts.push(
      `<h2>Documents in ${escapeHtml(ns)}</h2><div class="scroll"><table><thead><tr><th>Document</th><th>Version</th><th>Provenance</th><th>Status</th></tr></thead><tbody>${docs
        .map(
          (d) =>
            `<tr data-doc="${escapeHtml(d.id)}"><td><a href="/console/knowledge?ns=${encodeURIComponent(ns)}&amp;doc=${encodeURIComponent(d.id)}">${escapeHtml(d.title)}</a><div class="small muted">${escapeHtml(d.id)}</div></td><td>v${d.version}</td><td class="small">${provenance(d)}</td><td>${
              d.status === 'active' ? '<span class="status s-ok">active</span>' : '<span class="status s-error">retired</span>'
            }${
              d.status === 'active' && d.source.kind === 'remembered'
                ? `<form method="post" action="/console/knowledge/retire" class="retire">${csrfField(viewer)}<input type="hidden" name="ns" value="${escapeHtml(ns)}"><input type="hidden" name="id" value="${escapeHtml(d.id)}"><label>Why <input type="text" name="why" required maxlength="500"></label><button type="submit" class="danger">Retire</button></form>`
                : ''
            }</td></tr>`,
        )
        .join('')}</tbody></table></div>`,
    );
    if (query.doc) {
      const versions = await s.listVersions(ns, query.doc);
      parts.push(
        `<h2>Versions of ${escapeHtml(query.doc)}</h2>${versions.length ? versions.map((v) => `<div class="card"><p>v${v.version} · ${escapeHtml(when(v.at))} · <strong>${escapeHtml(v.title)}</strong></p><pre>${escapeHtml(v.body)}</pre></div>`).join('') : '<p class="muted">No such document.</p>'}`,
      );
    }
  }
  return page(200, consolePage(viewer, 'Knowledge', parts.join('\n')));
}

/** POST /console/knowledge/retire */
export async function retireKnowledge(deps: ConsoleDeps, viewer: Viewer, form: Record<string, string>): Promise<ConsoleResponse> {
  if (!viewer.admin) return forbidden(deps, viewer, '/console/knowledge/retire', 'Only admins retire knowledge.', 'action');
  const ns = (form.ns ?? '').trim();
  const id = (form.id ?? '').trim();
  const why = (form.why ?? '').trim();
  if (!why) throw new ConsoleBadInputError('say why the item is wrong (the reason goes into the audit trail)');
  const s = store(deps);
  const doc = await s.getDocument(ns, id);
  if (!doc) throw new ConsoleBadInputError(`there is no document "${id}" in "${ns}"`);
  if (doc.source.kind !== 'remembered')
    throw new ConsoleBadInputError('seed documents change in their files (aios knowledge sync); only what an agent remembered is retired here');
  if (await s.retireDocument(ns, id)) {
    const now = deps.now();
    await deps.audit.append(
      consoleChain(now),
      'knowledge.retired',
      { by: viewer.person.id, namespace: ns, docId: id, version: doc.version, why, rememberedIn: doc.source.runId, rememberedBy: doc.source.agentId },
      now,
    );
  }
  return redirect(`/console/knowledge?ns=${encodeURIComponent(ns)}`);
}
