/**
 * The console's look: the shared stylesheet (shared/look/page.ts) and, after it, what only console pages draw:
 * the navigation bar, tables, status badges, today's numbers, filters, timelines, charts, a state machine's picture
 * and a conversation. Approval pages, opened from an email on a phone, carry none of it.
 */
import { LOOK_CSS, pageLook } from '../../look/page';

export const CONSOLE_CSS = [
  'header.top{background:#152238;color:#fff;padding:.6em 1em;display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center}',
  'header.top a{color:#fff;text-decoration:none}header.top .brand{font-weight:700;margin-right:auto}',
  'header.top form{margin:0}header.top button{background:none;border:1px solid #fff6;color:#fff;padding:.2em .8em;border-radius:4px;font-size:.9em}',
  'table{width:100%;border-collapse:collapse;background:var(--card)}th,td{text-align:left;padding:.45em .5em;border-bottom:1px solid var(--line);vertical-align:top}',
  'th{font-size:.85em;color:var(--muted);font-weight:600}td{overflow-wrap:break-word;word-break:break-word}',
  '.status{display:inline-block;padding:0 .5em;border-radius:4px;font-size:.85em;font-weight:600;background:#e8ecf2;white-space:nowrap}',
  '.s-SUCCEEDED,.s-approved,.s-allow,.s-ok{background:#dcf2e4;color:var(--ok)}.s-FAILED,.s-TIMED_OUT,.s-ABORTED,.s-rejected,.s-deny,.s-error,.s-expired{background:#fbe3e1;color:var(--bad)}',
  '.s-RUNNING,.s-pending,.s-approve{background:#fff1d6;color:var(--warn)}',
  '.numbers{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:.6em}',
  '.numbers div{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.6em .8em}.numbers b{display:block;font-size:1.5em}',
  'form.filters{display:flex;flex-wrap:wrap;gap:.5em;align-items:end}form.filters label{display:flex;flex-direction:column;font-size:.85em;color:var(--muted)}',
  'form.inline{display:inline}',
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
  '@media (max-width:640px){th.opt,td.opt{display:none}.hint{display:block}',
  'table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}',
  'table.stack tr{display:flex;flex-wrap:wrap;border-bottom:1px solid var(--line)}table.stack td{border:0}table.stack td:nth-child(2){flex:1 1 80%}',
  'table.stack td[data-label]{display:block;flex:1 1 auto}table.stack td[data-label]:before{content:attr(data-label);display:block;font-size:.8em;color:var(--muted)}}',
].join('\n');

export const CONSOLE_LOOK = pageLook(`${LOOK_CSS}\n${CONSOLE_CSS}`);
