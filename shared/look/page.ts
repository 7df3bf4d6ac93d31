/**
 * The one look of every page AIOS serves to people: the console and the
 * approval pages. Plain server-rendered HTML, one stylesheet inlined and
 * allowed by its hash, so the Content-Security-Policy forbids every script
 * and every other style (event text, model text and comments stay inert).
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../approvals/html';

export const LOOK_CSS = [
  ':root{--ink:#1d2330;--muted:#5d6677;--line:#dfe3ea;--bg:#f6f7f9;--card:#fff;--accent:#1f5fbf;--ok:#1d7a45;--bad:#b3261e;--warn:#8a5a00}',
  '*{box-sizing:border-box}',
  'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:var(--bg)}',
  'header.top{background:#152238;color:#fff;padding:.6em 1em;display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center}',
  'header.top a{color:#fff;text-decoration:none}header.top .brand{font-weight:700;margin-right:auto}',
  'header.top form{margin:0}header.top button{background:none;border:1px solid #fff6;color:#fff;padding:.2em .8em;border-radius:4px;font-size:.9em}',
  // A long word (a tool's JSON result, an id) breaks where it would overflow, so a phone never scrolls the page sideways.
  'main{max-width:1100px;margin:0 auto;padding:1em;overflow-wrap:break-word}',
  'main.narrow{max-width:680px}',
  'h1{font-size:1.5em;margin:.3em 0 .6em}h2{font-size:1.15em;margin:1.4em 0 .5em}',
  '.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1em;margin:.8em 0}',
  '.action{font-size:1.15em;font-weight:700}',
  '.muted{color:var(--muted)}.small{font-size:.88em}',
  'pre{background:#eef1f5;padding:.6em;white-space:pre-wrap;overflow-wrap:anywhere;border-radius:6px;font-size:.88em}',
  'table{width:100%;border-collapse:collapse;background:var(--card)}th,td{text-align:left;padding:.45em .5em;border-bottom:1px solid var(--line);vertical-align:top}',
  'th{font-size:.85em;color:var(--muted);font-weight:600}td{overflow-wrap:break-word;word-break:break-word}',
  '.status{display:inline-block;padding:0 .5em;border-radius:4px;font-size:.85em;font-weight:600;background:#e8ecf2;white-space:nowrap}',
  '.s-SUCCEEDED,.s-approved,.s-allow,.s-ok{background:#dcf2e4;color:var(--ok)}.s-FAILED,.s-TIMED_OUT,.s-ABORTED,.s-rejected,.s-deny,.s-error,.s-expired{background:#fbe3e1;color:var(--bad)}',
  '.s-RUNNING,.s-pending,.s-approve{background:#fff1d6;color:var(--warn)}',
  '.numbers{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:.6em}',
  '.numbers div{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.6em .8em}.numbers b{display:block;font-size:1.5em}',
  'button,.button{font:inherit;padding:.45em 1.2em;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;margin:.2em .6em .2em 0;text-decoration:none;display:inline-block;white-space:nowrap}',
  'button.secondary{background:#fff;color:var(--accent)}button.danger{background:var(--bad);border-color:var(--bad)}',
  'input[type=email],input[type=text],input[type=search],input[type=date],select,textarea{font:inherit;padding:.4em;border:1px solid #b8c0cc;border-radius:6px;max-width:100%}',
  'textarea{width:100%;min-height:5em}',
  'form.filters{display:flex;flex-wrap:wrap;gap:.5em;align-items:end}form.filters label{display:flex;flex-direction:column;font-size:.85em;color:var(--muted)}',
  'form.inline{display:inline}',
  '.notice{border-left:4px solid var(--accent);padding:.5em .8em;background:#eaf1fb}.notice.bad{border-color:var(--bad);background:#fbe3e1}',
  // A timeline's numbers hang left of its lines: room for "99. ", more where the list says its numbers are longer (d3…d7),
  // so a phone's narrow margin does not cut "10." to "0.".
  'ol.timeline{padding-left:4ch;font-family:ui-monospace,monospace;font-size:.85em}ol.timeline li{white-space:pre-wrap;overflow-wrap:anywhere}',
  'ol.timeline.d3{padding-left:5ch}ol.timeline.d4{padding-left:6ch}ol.timeline.d5{padding-left:7ch}ol.timeline.d6{padding-left:8ch}ol.timeline.d7{padding-left:9ch}',
  '.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(11em,1fr));gap:.6em}figure.chart{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.5em}figure.chart svg{display:block;width:100%;height:auto}',
  '.chart .bar{fill:var(--accent)}.chart .axis{stroke:var(--line)}.chart .ticks{display:flex;justify-content:space-between;font-size:.75em;color:var(--muted)}',
  '.scroll{overflow-x:auto}.nowrap{white-space:nowrap}',
  '.graph{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.5em}.graph svg{display:block;height:auto}',
  '.graph .node rect{fill:#fff;stroke:#9aa3b2;stroke-width:1.2}.graph .node text{font-size:12px;text-anchor:middle;fill:var(--muted)}.graph .node.taken rect{fill:#e3edfb;stroke:var(--accent);stroke-width:2.5}.graph .node.taken text{fill:var(--ink);font-weight:600}',
  '.graph .node.current rect{fill:#fff1d6;stroke:var(--warn);stroke-width:3;stroke-dasharray:5 3}.graph .node.failed rect{fill:#fbe3e1;stroke:var(--bad);stroke-width:3}.graph .node.failed text{fill:var(--bad)}.graph a:focus rect{stroke-width:4}',
  '.graph .group rect{fill:#f3f5f9;stroke:var(--line);stroke-dasharray:4 3}.graph .group.taken rect{stroke:var(--accent)}.graph .group.failed rect{stroke:var(--bad)}.graph .group text{font-size:11px;fill:var(--muted)}',
  '.graph .edge path{fill:none;stroke:#b7bfcc;stroke-width:1.2}.graph .edge.taken path{stroke:var(--accent);stroke-width:2.2}.graph .edge.error path{stroke-dasharray:4 3}.graph .edge-label{font-size:10px;fill:var(--muted);text-anchor:middle}.graph .arrowhead{fill:#8a93a3}',
  '.legend .key{display:inline-block;padding:0 .4em;border:1px solid #9aa3b2;border-radius:4px}.legend .key.taken{border:2px solid var(--accent);background:#e3edfb}.legend .key.current{border:2px dashed var(--warn);background:#fff1d6}.legend .key.failed{border:2px solid var(--bad);background:#fbe3e1}',
  '.msg{border-left:3px solid var(--line);padding:.2em .7em;margin:.5em 0}.msg.assistant{border-color:var(--accent)}.msg.call{border-color:var(--warn)}.msg.result{border-color:var(--ok)}',
  // A state machine's picture keeps its drawn size on every screen, so its 12px labels stay readable (scaled to fit a
  // desktop frame, a workflow of thirty states had labels 4px high); it scrolls in its frame, whose hint shows when the
  // picture is wider than a desktop frame (`wide`) or on a narrow screen.
  '.hint{display:none}.hint.wide{display:block}',
  // Narrow screens: a table marked `stack` becomes one block per row, each cell under its own label (data-label), so
  // no column is cut off.
  '@media (max-width:640px){main{padding:.6em}th.opt,td.opt{display:none}h1{font-size:1.3em}.hint{display:block}',
  'table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}',
  'table.stack tr{display:flex;flex-wrap:wrap;border-bottom:1px solid var(--line)}table.stack td{border:0}table.stack td:nth-child(2){flex:1 1 80%}',
  'table.stack td[data-label]{display:block;flex:1 1 auto}table.stack td[data-label]:before{content:attr(data-label);display:block;font-size:.8em;color:var(--muted)}}',
].join('\n');

/**
 * The one script any page may run. It scrolls a state machine's picture
 * that is wider than its frame to the state that matters (the one a run is
 * in, else where it failed, else where runs start), so the first view is not
 * an empty corner of it; and it reloads a page that asked for it (a run in
 * progress) every few seconds, unless the person is typing in a field.
 * Pages work without it; it only saves scrolling and pressing reload.
 */
export const PAGE_SCRIPT =
  "(function(){var f=document.querySelectorAll('.graph');for(var i=0;i<f.length;i++){var d=f[i];if(d.scrollWidth<=d.clientWidth)continue;" +
  "var n=d.querySelector('.node.current')||d.querySelector('.node.failed')||d.querySelector('#graph-start');if(!n)continue;" +
  'var a=d.getBoundingClientRect(),r=n.getBoundingClientRect();d.scrollLeft+=r.left-a.left-(d.clientWidth-r.width)/2;}' +
  "var s=Number(document.body.getAttribute('data-refresh'));if(!s)return;setInterval(function(){var a=document.activeElement;if(a&&/^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName))return;location.reload();},s*1000);})();";

const hash = (text: string) => createHash('sha256').update(text).digest('base64');

/** No script but the page script, no style but the look's stylesheet, both by hash; forms post only to this origin. */
export const PAGE_CSP = `default-src 'none'; script-src 'sha256-${hash(PAGE_SCRIPT)}'; style-src 'sha256-${hash(LOOK_CSS)}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/** Headers for every page: no caching, no referrer (URLs may carry a signature), no framing, no script but the page script. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': PAGE_CSP,
};

export interface FrameOptions {
  title: string;
  /** Trusted HTML: callers escape everything a person or an agent typed. */
  body: string;
  /** Trusted HTML for the top bar (the console's navigation); none on the approval pages. */
  nav?: string;
  /** Reload the page every so many seconds (a run in progress); without scripts the page says to reload. */
  refreshSeconds?: number;
  /** The body holds a state machine's picture (state-graph.ts), which the page script scrolls to the state that matters. */
  picture?: boolean;
  /** Narrow column for forms and single requests. */
  narrow?: boolean;
  /** Show the title as the page's heading (default true). */
  heading?: boolean;
}

/** A whole HTML document in the shared look. */
export function pageFrame(o: FrameOptions): string {
  const refresh = o.refreshSeconds ? Math.max(1, Math.floor(o.refreshSeconds)) : 0;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(o.title)}</title><style>${LOOK_CSS}</style></head>
<body${refresh ? ` data-refresh="${refresh}"` : ''}>${o.nav ?? ''}<main${o.narrow === false ? '' : o.nav ? '' : ' class="narrow"'}>${o.heading === false ? '' : `<h1>${escapeHtml(o.title)}</h1>`}
${refresh ? `<p class="small muted">In progress: this page updates every ${refresh} seconds (reload it if scripts are off).</p>` : ''}${o.body}
</main>${refresh || o.picture ? `<script>${PAGE_SCRIPT}</script>` : ''}</body></html>`;
}
