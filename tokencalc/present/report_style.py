"""The report page's stylesheet and its one small script, inline in every page (nothing is fetched).

Screen: one column up to 1100 px, cards that wrap on a phone, tables that scroll sideways inside their
box. Print: one chart per section (no section split across pages), tables whole (rows never cut, the
header repeated), the data tables opened, the navigation and buttons hidden.
"""

from __future__ import annotations

__all__ = ["CSS", "SCRIPT"]

CSS = """
:root { --ink: #1b1b1b; --muted: #555; --line: #d9d9d9; --accent: #0072B2; --bg: #fff; --card: #f6f8fa; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: var(--bg); line-height: 1.45;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 20px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 0 0 6px; }
.sub, .caption, .note { color: var(--muted); margin: 0 0 10px; }
nav ul { list-style: none; padding: 0; margin: 10px 0 0; display: flex; flex-wrap: wrap; gap: 6px 14px; }
nav a, a { color: var(--accent); }
section { border-top: 1px solid var(--line); padding: 18px 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 10px; margin: 0; }
.card { background: var(--card); border-radius: 8px; padding: 10px 12px; margin: 0; }
.card dt { color: var(--muted); font-size: 0.85rem; }
.card dd { margin: 2px 0 0; font-size: 1.25rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.card dd small { font-size: 0.8rem; font-weight: 400; color: var(--muted); }
.card dd.note { font-size: 0.8rem; line-height: 1.3; font-weight: 400; color: var(--muted); margin-top: 4px; }
.plot { width: 100%; min-height: 300px; }
header, .caption, #sources, footer p { overflow-wrap: anywhere; }
.table-box { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.88rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
thead th { background: var(--card); }
details { margin-top: 8px; }
summary { cursor: pointer; color: var(--accent); }
pre { background: var(--card); padding: 10px; overflow-x: auto; font-size: 0.8rem; white-space: pre; }
footer { border-top: 2px solid var(--line); padding-top: 14px; padding-bottom: 30px; color: var(--muted); }
footer code { word-break: break-all; }
button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); background: var(--card); border-radius: 5px;
         cursor: pointer; }
@media (max-width: 600px) {
  body { font-size: 14px; }
  h1 { font-size: 1.3rem; }
  .cards { grid-template-columns: 1fr 1fr; }
  .card dd { font-size: 1.05rem; }
  .plot { min-height: 260px; }
}
@media print {
  @page { margin: 14mm; }
  body { font-size: 10.5pt; }
  nav, button, .modebar-container { display: none !important; }
  header, main, footer { max-width: none; padding: 0; }
  section { break-inside: avoid; page-break-inside: avoid; }
  section.long { break-inside: auto; page-break-inside: auto; }
  section.chart { break-before: page; page-break-before: always; }
  .table-box { overflow: visible; }
  table { width: 100%; font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr, td, th { break-inside: avoid; page-break-inside: avoid; }
  td, th { white-space: normal !important; overflow-wrap: anywhere; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  a { color: inherit; }
}
"""

SCRIPT = """
window.addEventListener('beforeprint', function () {
  document.querySelectorAll('details').forEach(function (d) { d.setAttribute('data-was-open', d.open); d.open = true; });
});
window.addEventListener('afterprint', function () {
  document.querySelectorAll('details').forEach(function (d) { d.open = d.getAttribute('data-was-open') === 'true'; });
});
function tokencalcCopy(id, button) {
  var text = document.getElementById(id).textContent;
  var done = function () { button.textContent = 'Copied'; };
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done, function () {}); }
  else { var area = document.createElement('textarea'); area.value = text; document.body.appendChild(area);
         area.select(); try { document.execCommand('copy'); done(); } catch (e) {} area.remove(); }
}
"""
