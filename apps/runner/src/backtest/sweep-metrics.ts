import type { BacktestSummary } from './backtest-summary.js';

/** One run of a sweep, as the ranking table shows it. */
export interface SweepRow {
  readonly settings: Readonly<Record<string, number>>;
  readonly pnlKrw: number;
  readonly trades: number;
  /** Closed pairs that made money, over closed pairs (NaN with none). */
  readonly winRate: number;
  /** Largest fall of realised PnL from a previous high, KRW, over the closed pairs in order. */
  readonly maxDrawdownKrw: number;
  readonly feesKrw: number;
}

export function sweepRow(settings: Readonly<Record<string, number>>, summary: BacktestSummary): SweepRow {
  const closed = summary.tradeLog
    .filter((trade) => trade.state === 'closed' && trade.costs !== undefined)
    .sort((a, b) => (a.closedAt ?? 0) - (b.closedAt ?? 0));
  let equity = 0;
  let peak = 0;
  let maxDrawdownKrw = 0;
  let wins = 0;
  let feesKrw = 0;
  for (const trade of closed) {
    const costs = trade.costs!;
    equity += costs.pnlKrw;
    peak = Math.max(peak, equity);
    maxDrawdownKrw = Math.max(maxDrawdownKrw, peak - equity);
    if (costs.pnlKrw > 0) wins++;
    feesKrw += costs.feesKrw;
  }
  return {
    settings,
    pnlKrw: summary.pnl.totalKrw,
    trades: summary.trades.opened,
    winRate: closed.length === 0 ? Number.NaN : wins / closed.length,
    maxDrawdownKrw,
    feesKrw,
  };
}

/** Best PnL first; ties by smaller drawdown. */
export function rankRows(rows: readonly SweepRow[]): SweepRow[] {
  return [...rows].sort((a, b) => b.pnlKrw - a.pnlKrw || a.maxDrawdownKrw - b.maxDrawdownKrw);
}

export function formatSweep(rows: readonly SweepRow[]): string {
  if (rows.length === 0) return 'no runs\n';
  const keys = Object.keys(rows[0]!.settings);
  const num = (value: number, digits = 0): string =>
    Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a';
  const header = [...keys, 'PnL KRW', 'trades', 'win rate', 'max drawdown KRW', 'fees KRW'];
  const lines = rows.map((row) => [
    ...keys.map((key) => String(row.settings[key])),
    num(row.pnlKrw),
    String(row.trades),
    Number.isFinite(row.winRate) ? `${(row.winRate * 100).toFixed(0)} %` : 'n/a',
    num(row.maxDrawdownKrw),
    num(row.feesKrw),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: readonly string[]) =>
    `  ${cells.map((cell, i) => (i < keys.length ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`;
  return [
    `=== sweep · ${rows.length} runs, best PnL first ===`,
    format(header),
    ...lines.map(format),
    '',
  ].join('\n');
}
