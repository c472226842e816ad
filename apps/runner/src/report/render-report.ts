import { buildChartPayload } from './chart-payload.js';
import { maxDrawdownKrw } from './drawdown.js';
import { formatKrw } from './format-cell.js';
import { escapeHtml } from './html-escape.js';
import { jsonForScript } from './inline-json.js';
import { REPORT_CLIENT_JS } from './report-client.js';
import type { ReportData } from './report-data.js';
import { REPORT_CSS } from './report-styles.js';
import { summaryTable, tradesTable } from './report-tables.js';
import { uplotAssets } from './uplot-assets.js';

/** Nothing may be fetched at view time: the page runs only its inline script and style. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

const MARKER_LEGEND = `<div class="legend-extra" aria-label="trade markers">
<span><svg width="14" height="12" viewBox="0 0 14 12"><path d="M1 1h12L7 11z" fill="#d97706"/></svg>entry, sold KRW (high premium)</span>
<span><svg width="14" height="12" viewBox="0 0 14 12"><path d="M1 11h12L7 1z" fill="#d97706"/></svg>entry, bought KRW (low premium)</span>
<span><svg width="12" height="12" viewBox="0 0 12 12"><circle cx="6" cy="6" r="5" fill="#16a34a"/></svg>exit at a profit</span>
<span><svg width="12" height="12" viewBox="0 0 12 12"><circle cx="6" cy="6" r="5" fill="#dc2626"/></svg>exit at a loss</span>
<span><svg width="24" height="12" viewBox="0 0 24 12"><path d="M1 6h22" stroke="#4b5563" stroke-dasharray="3 3"/></svg>held (to the right edge: still open)</span>
</div>`;

/** One self-contained HTML page for a backtest: charts, summary and trades, with uPlot and the data inlined. */
export function renderReport(data: ReportData): string {
  const payload = buildChartPayload(data);
  const { js, css } = uplotAssets();
  const premiumSections = payload.premiums
    .map(
      (chart) =>
        `<div class="card"><h3>${escapeHtml(chart.asset)}</h3><div class="chart" id="${chart.id}"></div></div>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${css}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(data.title)}</h1>
<p class="sub">${escapeHtml(data.source.data)} · ${escapeHtml(data.source.from)} → ${escapeHtml(data.source.to)} · config ${escapeHtml(data.source.config)}</p>
<h2>Summary</h2>
${summaryTable(data)}
<h2>Premium per asset</h2>
<p class="sub">Mid premium of Upbit KRW over Binance USDT and the reference it is traded against, in percent; times in UTC.</p>
${MARKER_LEGEND}
${data.trades.length === 0 && data.assets.length > 0 ? '<p class="note">No trades in this run.</p>' : ''}
${premiumSections || '<p class="note">No assets in this run.</p>'}
<h2>Equity</h2>
<div class="card"><div class="chart" id="${payload.equity.id}"></div></div>
<h2>Drawdown</h2>
<p class="sub">Equity below its running peak, KRW; the deepest was ${formatKrw(maxDrawdownKrw(data.equity.krw))}.</p>
<div class="card"><div class="chart" id="${payload.drawdown.id}"></div></div>
<h2>Where the money went</h2>
<p class="sub">Premium captured + USDT/KRW move − fees − spread = PnL, KRW over the whole run.</p>
<div class="card"><div class="chart" id="${payload.costs.id}"></div></div>
<h2>Trades</h2>
${tradesTable(data.trades)}
</main>
<script type="application/json" id="report-data">${jsonForScript(payload)}</script>
<script>${js}</script>
<script>${REPORT_CLIENT_JS}</script>
</body>
</html>
`;
}
