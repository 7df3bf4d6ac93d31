/**
 * GET /console/audit (admins): the runs with an audit trail, one run's
 * chain record by record, and verifying one run or all of them with the
 * audit log's own `verify` — the lines shown are those `aios audit verify`
 * prints. Verifying reads only, so it is a plain GET form.
 */
import { prettyJson } from '../approvals/html';
import { MAX_RUN_ID_CHARS } from '../audit/errors';
import type { AuditRecord, ChainVerdict } from '../audit/record';
import { recordSentence } from '../audit/record-text';
import { verdictLines } from '../audit/verdict-text';
import type { Viewer } from './access';
import type { ConsoleDeps } from './deps';
import { ConsoleBadInputError } from './errors';
import { forbidden } from './forbidden';
import { consolePage, escapeHtml, runLink } from './pages/layout';
import { page, type ConsoleResponse } from './response';

/** Verifies one run, or every run the log and its index know (as `aios audit verify` does), as the CLI's lines. */
export async function verifyRuns(deps: ConsoleDeps, runId: string | undefined): Promise<{ lines: string[]; broken: string[] }> {
  let verdicts: ChainVerdict[];
  try {
    verdicts = runId ? [await deps.audit.verify(runId)] : await deps.audit.verifyAll();
  } catch (error) {
    return { lines: [`error  ${runId ?? 'all'}: ${(error as Error).message}`], broken: [runId ?? 'all'] };
  }
  return { lines: verdicts.flatMap(verdictLines), broken: verdicts.filter((v) => !v.ok).map((v) => v.runId) };
}

/** The record's sentence above its data, for the kinds that have one (a manual start names who typed it). */
function sentenceHtml(r: AuditRecord): string {
  const sentence = recordSentence(r);
  return sentence ? `<p>${escapeHtml(sentence)}</p>` : '';
}

function recordsTable(records: readonly AuditRecord[]): string {
  if (!records.length) return '<p class="muted">No records.</p>';
  return `<div class="scroll"><table class="audit stack"><thead><tr><th>#</th><th>At</th><th>Kind</th><th>What</th><th class="opt">Hash</th></tr></thead><tbody>${records
    .map(
      (r) =>
        `<tr><td>${r.seq}</td><td class="nowrap">${escapeHtml(r.at.replace('T', ' ').slice(0, 19))}</td><td data-label="Kind">${escapeHtml(r.kind)}</td><td data-label="What">${sentenceHtml(r)}<pre>${escapeHtml(prettyJson(r.data))}</pre></td><td class="opt"><code>${escapeHtml(r.hash.slice(0, 12))}…</code></td></tr>`,
    )
    .join('')}</tbody></table></div>`;
}

/** GET /console/audit[?run=<id>][&verify=run|all] */
export async function showAudit(deps: ConsoleDeps, viewer: Viewer, query: Record<string, string>): Promise<ConsoleResponse> {
  if (!viewer.admin) return forbidden(deps, viewer, '/console/audit', 'The audit trail is for admins.');
  const runs = await deps.audit.runs();
  const run = query.run?.trim() || undefined;
  if (run && run.length > MAX_RUN_ID_CHARS) throw new ConsoleBadInputError(`A run id is at most ${MAX_RUN_ID_CHARS} characters; this one has ${run.length}.`);
  let verified = '';
  if (query.verify === 'all' || (query.verify === 'run' && run)) {
    const result = await verifyRuns(deps, query.verify === 'all' ? undefined : run);
    verified = `<h2>Verified</h2><p>${result.broken.length ? `<span class="status s-error">${result.broken.length} broken</span>` : '<span class="status s-ok">all intact</span>'}</p><pre class="verdict">${escapeHtml(result.lines.join('\n') || 'no audit records')}</pre>`;
  }
  const chain = run
    ? `<h2>Chain of ${escapeHtml(run)}</h2>${runs.includes(run) ? `<p>${runLink(run)}</p>` : ''}${recordsTable(await deps.audit.records(run))}`
    : '';
  const form = `<form method="get" action="/console/audit" class="card"><p><label>Run <input type="text" name="run" value="${escapeHtml(run ?? '')}" list="audit-runs"></label><datalist id="audit-runs">${runs.map((r) => `<option value="${escapeHtml(r)}">`).join('')}</datalist>
<button type="submit" name="verify" value="" class="secondary">Show its chain</button><button type="submit" name="verify" value="run">Verify this run</button><button type="submit" name="verify" value="all" class="secondary">Verify all ${runs.length} chains</button></p></form>`;
  return page(
    200,
    consolePage(
      viewer,
      'Audit trail',
      `<p class="small muted">Every run's records are hash-chained; verifying recomputes the chain exactly as <code>aios audit verify</code> does.</p>${form}${verified}${chain}`,
    ),
  );
}
