/**
 * The page's whole style sheet, inlined: system fonts (nothing to fetch), colours kept when
 * printed, tables that repeat their headings across printed pages and keep rows whole.
 */
export const STYLES = `
:root { color-scheme: light; --ink: #1d2733; --muted: #5b6b7b; --line: #d9e0e7; --soft: #f4f6f8;
  --high: #b3261e; --medium: #a35d00; --low: #4d6478; --ok: #2e7d4f; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
header { border-bottom: 3px solid var(--ink); padding-bottom: 12px; margin-bottom: 18px; }
h1 { font-size: 24px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 18px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 22px 0 6px; }
p { margin: 6px 0; }
code, .rule { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 12.5px; }
.meta { color: var(--muted); margin: 0; }
.meta span + span::before { content: " · "; }
.note { color: var(--muted); font-size: 13px; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0 4px; }
.tile { flex: 1 1 150px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
  background: var(--soft); }
.tile b { display: block; font-size: 22px; line-height: 1.2; }
.tile span { color: var(--muted); font-size: 12.5px; }
.tile.bad { border-color: var(--high); background: #fbeceb; } .tile.bad b { color: var(--high); }
.tile.good b { color: var(--ok); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.zero { color: #b7c1cb; }
tfoot td, tfoot th { font-weight: 700; border-top: 2px solid var(--ink); border-bottom: 0; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.legend { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 6px 18px;
  margin: 8px 0 12px; padding: 0; list-style: none; }
.legend li { font-size: 13px; } .legend small { display: block; color: var(--muted); margin-left: 16px; }
svg { display: block; font-size: 12px; fill: var(--ink); }
svg.bar { border-radius: 3px; }
.state { white-space: nowrap; font-size: 12.5px; }
.sev { display: inline-block; min-width: 58px; text-align: center; border-radius: 3px; color: #fff; font-size: 11.5px;
  font-weight: 700; padding: 1px 6px; text-transform: uppercase; }
.sev.high { background: var(--high); } .sev.medium { background: var(--medium); } .sev.low { background: var(--low); }
.sev.error { background: var(--high); } .sev.warning { background: var(--medium); }
.first { border: 2px solid var(--ink); border-radius: 8px; padding: 4px 16px 10px; margin: 18px 0; }
.first h2 { border: 0; margin-top: 12px; }
.verify-clean { color: var(--ok); } .verify-finding { color: var(--high); font-weight: 600; }
.verify-not-checked, .verify-not-verified { color: var(--medium); }
.reason { color: var(--muted); font-size: 13px; } .reason b { color: var(--ink); font-weight: 600; }
.examples { font-size: 12.5px; color: var(--muted); }
.table-detail h3 small { font-weight: 400; color: var(--muted); }
tr.concern td:first-child { box-shadow: inset 3px 0 0 var(--high); }
a { color: inherit; text-decoration: none; } a:hover { text-decoration: underline; }
.coverage th, .coverage td { padding: 4px 6px; } .coverage thead th.n { white-space: normal; vertical-align: bottom; }
.coverage thead .dot { display: block; margin: 0 0 3px auto; }
table.cols { table-layout: fixed; } table.cols td { overflow-wrap: anywhere; }
.cols th:nth-child(1) { width: 14%; } .cols th:nth-child(2) { width: 10%; } .cols th:nth-child(3) { width: 13%; }
.cols th:nth-child(4) { width: 17%; } .cols th:nth-child(6) { width: 15%; }
footer { margin-top: 36px; color: var(--muted); font-size: 12.5px; border-top: 1px solid var(--line);
  padding-top: 10px; }
@page { size: A4; margin: 12mm; }
@media print {
  body { font-size: 11px; } main { max-width: none; padding: 0; }
  code, .rule { font-size: 10px; } .tile { flex-basis: 90px; padding: 6px 8px; } .tile b { font-size: 17px; }
  .coverage svg.bar { width: 90px; height: 12px; } .coverage th, .coverage td { padding: 3px 4px; }
  h2 { break-after: avoid; } .table-detail { break-inside: avoid-page; }
}
`;
