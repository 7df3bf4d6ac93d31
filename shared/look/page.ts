/**
 * The one look of every page AIOS serves to people: the console and the
 * approval pages. Plain server-rendered HTML, one stylesheet inlined and
 * allowed by its hash, so the Content-Security-Policy forbids every script
 * and every other style (event text, model text and comments stay inert).
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../approvals/html';

/** The stylesheet every page carries: type, colours, forms, buttons and notices (all an approval page uses). */
export const LOOK_CSS = [
  ':root{--ink:#1d2330;--muted:#5d6677;--line:#dfe3ea;--bg:#f6f7f9;--card:#fff;--accent:#1f5fbf;--ok:#1d7a45;--bad:#b3261e;--warn:#8a5a00}',
  '*{box-sizing:border-box}',
  'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:var(--bg)}',
  // A long word (a tool's JSON result, an id) breaks where it would overflow, so a phone never scrolls the page sideways.
  'main{max-width:1100px;margin:0 auto;padding:1em;overflow-wrap:break-word}',
  'main.narrow{max-width:680px}',
  'h1{font-size:1.5em;margin:.3em 0 .6em}h2{font-size:1.15em;margin:1.4em 0 .5em}',
  '.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1em;margin:.8em 0}',
  '.action{font-size:1.15em;font-weight:700}',
  '.muted{color:var(--muted)}.small{font-size:.88em}',
  'pre{background:#eef1f5;padding:.6em;white-space:pre-wrap;overflow-wrap:anywhere;border-radius:6px;font-size:.88em}',
  'button,.button{font:inherit;padding:.45em 1.2em;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;margin:.2em .6em .2em 0;text-decoration:none;display:inline-block;white-space:nowrap}',
  'button.secondary{background:#fff;color:var(--accent)}button.danger{background:var(--bad);border-color:var(--bad)}',
  'input[type=email],input[type=text],input[type=search],input[type=date],select,textarea{font:inherit;padding:.4em;border:1px solid #b8c0cc;border-radius:6px;max-width:100%}',
  'textarea{width:100%;min-height:5em}',
  '.notice{border-left:4px solid var(--accent);padding:.5em .8em;background:#eaf1fb}.notice.bad{border-color:var(--bad);background:#fbe3e1}',
  '@media (max-width:640px){main{padding:.6em}h1{font-size:1.3em}}',
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

/** A page's stylesheet with the headers that allow exactly it. */
export interface PageLook {
  css: string;
  headers: Readonly<Record<string, string>>;
}

/**
 * The look of pages styled by `css`. Their policy allows no script but the page script and no style but `css`, both by
 * hash; forms post only to this origin. No caching, no referrer (URLs may carry a signature), no framing.
 */
export function pageLook(css: string): PageLook {
  const csp = `default-src 'none'; script-src 'sha256-${hash(PAGE_SCRIPT)}'; style-src 'sha256-${hash(css)}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
  return {
    css,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': csp,
    },
  };
}

/** The approval pages' look: the shared stylesheet alone (the console adds its own to it, shared/console/pages/console-look.ts). */
export const PAGE_LOOK = pageLook(LOOK_CSS);
export const PAGE_HEADERS = PAGE_LOOK.headers;

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
  /** The stylesheet and its policy (default the shared look); the caller answers with `look.headers`. */
  look?: PageLook;
}

/** A whole HTML document in the shared look. */
export function pageFrame(o: FrameOptions): string {
  const refresh = o.refreshSeconds ? Math.max(1, Math.floor(o.refreshSeconds)) : 0;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(o.title)}</title><style>${(o.look ?? PAGE_LOOK).css}</style></head>
<body${refresh ? ` data-refresh="${refresh}"` : ''}>${o.nav ?? ''}<main${o.narrow === false ? '' : o.nav ? '' : ' class="narrow"'}>${o.heading === false ? '' : `<h1>${escapeHtml(o.title)}</h1>`}
${refresh ? `<p class="small muted">In progress: this page updates every ${refresh} seconds (reload it if scripts are off).</p>` : ''}${o.body}
</main>${refresh || o.picture ? `<script>${PAGE_SCRIPT}</script>` : ''}</body></html>`;
}
