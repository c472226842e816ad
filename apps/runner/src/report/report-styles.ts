/** The page's own stylesheet (uPlot's is inlined beside it). */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; color: #111827; background: #f9fafb; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 4px; }
.sub { color: #4b5563; margin: 0 0 12px; }
.card { background: #ffffff; border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px 12px 12px; margin: 8px 0 16px; }
.chart { width: 100%; }
.note { color: #6b7280; font-style: italic; margin: 4px 0; }
.legend-extra { display: flex; flex-wrap: wrap; gap: 16px; color: #374151; font-size: 13px; margin: 2px 0 6px; }
.legend-extra span { display: inline-flex; align-items: center; gap: 6px; }
table { border-collapse: collapse; background: #ffffff; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; white-space: nowrap; }
table.summary th { background: #f3f4f6; font-weight: 600; }
table.trades { width: 100%; font-size: 13px; }
.table-scroll { overflow-x: auto; }
table.trades td:last-child { white-space: normal; overflow-wrap: anywhere; min-width: 12em; }
table.trades thead th { background: #f3f4f6; position: sticky; top: 0; }
table.trades caption { text-align: left; color: #4b5563; padding: 4px 0; }
tr.open td { background: #fffbeb; }
.win { color: #15803d; }
.loss { color: #b91c1c; }
.u-legend { font-size: 13px; }
.u-title { font-size: 15px; }
`;
