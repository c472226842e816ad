import { formatKrw, formatPremium, formatTime, formatValue } from './format-cell.js';
import { escapeHtml } from './html-escape.js';
import type { ReportData, ReportTrade } from './report-data.js';

/** The trades table shows the most recent ones; the backtest's JSON summary has them all. */
export const TRADES_SHOWN = 100;

const DIRECTION: Record<ReportTrade['direction'], string> = {
  sell_krw_buy_usdt: 'sell KRW / buy USDT',
  buy_krw_sell_usdt: 'buy KRW / sell USDT',
};

export function summaryTable(data: ReportData): string {
  const rows: [string, string][] = [
    ['data', data.source.data],
    ['from', data.source.from],
    ['to', data.source.to],
    ['config', data.source.config],
    ...Object.entries(data.summary).map(([key, value]): [string, string] => [key, formatValue(value)]),
  ];
  const body = rows
    .map(([key, value]) => `<tr><th scope="row">${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
  return `<table class="summary"><tbody>\n${body}\n</tbody></table>`;
}

export function tradesTable(trades: readonly ReportTrade[]): string {
  if (trades.length === 0) return '<p class="note" id="no-trades">No trades in this run.</p>';
  const shown = [...trades].sort((a, b) => a.openedAt - b.openedAt).slice(-TRADES_SHOWN);
  const caption =
    shown.length < trades.length
      ? `<caption>The last ${shown.length} of ${trades.length} trades</caption>`
      : `<caption>${trades.length} trade${trades.length === 1 ? '' : 's'}</caption>`;
  const head =
    '<thead><tr><th>id</th><th>asset</th><th>direction</th><th>opened (UTC)</th><th>closed (UTC)</th>' +
    '<th>entry premium</th><th>exit premium</th><th>PnL</th><th>close reason</th></tr></thead>';
  const body = shown.map(tradeRow).join('\n');
  return `<div class="table-scroll"><table class="trades">${caption}${head}<tbody>\n${body}\n</tbody></table></div>`;
}

function tradeRow(trade: ReportTrade): string {
  const open = trade.closedAt === undefined;
  const pnlClass =
    trade.pnlKrw === undefined || !Number.isFinite(trade.pnlKrw) ? '' : trade.pnlKrw >= 0 ? 'win' : 'loss';
  const cells = [
    escapeHtml(trade.id),
    escapeHtml(trade.asset),
    DIRECTION[trade.direction] ?? escapeHtml(String(trade.direction)),
    formatTime(trade.openedAt),
    open ? '<em>open</em>' : formatTime(trade.closedAt),
    formatPremium(trade.entryPremium),
    formatPremium(trade.exitPremium),
    `<span class="${pnlClass}">${formatKrw(trade.pnlKrw)}</span>`,
    escapeHtml(trade.closeReason ?? (open ? 'still open' : '')),
  ];
  return `<tr${open ? ' class="open"' : ''}>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
}
