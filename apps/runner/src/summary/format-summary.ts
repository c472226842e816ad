import type { RunSummary, TradeRecord } from './run-summary.js';

const pct = (value: number, digits = 3): string =>
  Number.isFinite(value) ? `${(value * 100).toFixed(digits)} %` : 'n/a';
const num = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const record = (values: Record<string, number>): string =>
  Object.keys(values).length === 0
    ? 'none'
    : Object.entries(values)
        .map(([key, count]) => `${key} ${count}`)
        .join(', ');

const SHORT_DIRECTION: Record<string, string> = {
  sell_krw_buy_usdt: 'sell-KRW',
  buy_krw_sell_usdt: 'buy-KRW',
};

/** Room for a route name such as 'upbit-binance'. */
const ROUTE_WIDTH = 14;

/** Closed pairs shown one per line; the JSON summary has them all. */
const CLOSED_PAIR_LINES = 20;

/** The summary for people (without --json). */
export function formatSummary(summary: RunSummary): string {
  const { loops, pnl, trades } = summary;
  return [
    `=== ${summary.label} · paper trading summary ===`,
    `  duration      ${(summary.durationMs / 1000).toFixed(1)} s (${summary.stopReason}), source ${summary.source}${marketTime(summary)}`,
    ...(summary.assetsScanned === undefined ? [] : [`  assets        ${summary.assetsScanned} scanned`]),
    `  loops         ${loops.count} (of ${summary.updates} updates); arrival → decision p50 ${num(loops.p50Us, 1)} µs, p99 ${num(loops.p99Us, 1)} µs, max ${num(loops.maxUs, 1)} µs`,
    `  trades        opened ${trades.opened}, closed ${trades.closed}, open ${trades.open}, failed to open ${trades.openFailed}`,
    `  closes        ${closes(trades.closedBy)}`,
    ...routeLines(trades.byRoute),
    `  PnL           ${num(pnl.totalKrw)} KRW (${num(pnl.totalUsd, 2)} USD); realised ${num(pnl.realisedKrw)} KRW, unrealised ${num(pnl.unrealisedKrw)} KRW`,
    ...closedPairs(summary.tradeLog),
    `  active orders ${summary.activeOrders}`,
    `  refusals      ${record(summary.guardRefusals)}${summary.halt.halted ? ` · HALTED: ${summary.halt.reason}` : ''}`,
    `  skips         ${record(summary.skipReasons)}`,
    '  premiums      mid now, its reference, the round trip to break even at the configured size, and where a pair would open',
    ...Object.entries(summary.premiums).flatMap(([asset, routes]) =>
      Object.entries(routes).map(
        ([route, premium]) =>
          `    ${asset.padEnd(6)} ${route.padEnd(ROUTE_WIDTH)} mid ${pct(premium.midPremium)}, reference ${pct(premium.reference)}, break-even ${pct(premium.breakEven.sellKrw)} (fees ${pct(premium.breakEven.fees)}), opens sell-KRW ≥ ${pct(premium.opensAt.sellKrw)} or buy-KRW ≤ ${pct(premium.opensAt.buyKrw)}`,
      ),
    ),
    `  feeds         ${summary.feedHealth.allLive ? 'all live' : 'NOT all live'}${summary.feedHealth.sourceSwitches === undefined ? '' : `, ${summary.feedHealth.sourceSwitches} source switches`}`,
    ...Object.entries(summary.feedHealth.instruments).map(
      ([id, feed]) =>
        `    ${id.padEnd(20)} ${feed.state.padEnd(9)} via ${feed.source.padEnd(4)} updates ${feed.counters.updates}, resyncs ${feed.counters.resyncs}, gaps ${feed.counters.gaps}${feed.reason ? ` (${feed.reason})` : ''}`,
    ),
    '',
  ].join('\n');
}

function marketTime(summary: RunSummary): string {
  const { preset, timeScale } = summary.marketTime;
  if (timeScale === 1) return '';
  const marketMinutes = (summary.durationMs * timeScale) / 60_000;
  return `; simulator preset "${preset}", market time ×${timeScale} (${marketMinutes.toFixed(0)} market minutes)`;
}

function closes(closedBy: Record<string, number>): string {
  const get = (reason: string): number => closedBy[reason] ?? 0;
  const others = Object.entries(closedBy).filter(
    ([reason]) => !['converged', 'stop_loss', 'max_holding'].includes(reason),
  );
  return [
    `converged ${get('converged')}`,
    `stop-loss ${get('stop_loss')}`,
    `max holding ${get('max_holding')}`,
    ...others.map(([reason, count]) => `${reason} ${count}`),
  ].join(', ');
}

/** One line per route (KRW venue-USDT venue): what it opened and closed, and its realised PnL. */
function routeLines(byRoute: RunSummary['trades']['byRoute']): string[] {
  return [
    '  routes        pairs per route (KRW venue-USDT venue) and their realised PnL',
    ...Object.entries(byRoute).map(
      ([route, counts]) =>
        `    ${route.padEnd(ROUTE_WIDTH)} opened ${counts.opened}, closed ${counts.closed} (${closes(counts.closedBy)}), open ${counts.open}, failed to open ${counts.openFailed}; realised ${num(counts.realisedKrw)} KRW`,
    ),
  ];
}

/** One line per closed pair: its premiums, then where its money went (premium + rate − fees − spread = PnL). */
function closedPairs(tradeLog: readonly TradeRecord[]): string[] {
  const closed = tradeLog.filter((trade) => trade.state === 'closed' && trade.costs !== undefined);
  if (closed.length === 0) return [];
  const shown = closed.slice(-CLOSED_PAIR_LINES);
  const columns: readonly (readonly [string, number])[] = [
    ['pair', 11],
    ['route', ROUTE_WIDTH],
    ['direction', 9],
    ['held', 7],
    ['reference', 9],
    ['entry', 9],
    ['exit', 9],
    ['premium', 9],
    ['rate', 8],
    ['fees', 8],
    ['spread', 8],
    ['PnL KRW', 9],
  ];
  const row = (cells: readonly string[]): string =>
    `    ${cells.map((cell, i) => (i < 3 ? cell.padEnd(columns[i]![1]) : cell.padStart(columns[i]![1]))).join('  ')}`;
  const lines = shown.map((trade) => {
    const costs = trade.costs!;
    return `${row([
      trade.id,
      trade.route,
      SHORT_DIRECTION[trade.direction] ?? trade.direction,
      `${(((trade.closedAt ?? trade.openedAt) - trade.openedAt) / 1000).toFixed(1)} s`,
      pct(trade.entry.reference),
      pct(trade.entry.midPremium),
      pct(trade.exit?.midPremium ?? Number.NaN),
      num(costs.premiumKrw),
      num(costs.rateKrw),
      num(-costs.feesKrw),
      num(-costs.spreadKrw),
      num(costs.pnlKrw),
    ])}  ${trade.closeReason ?? ''}`;
  });
  const more =
    closed.length > shown.length ? [`    … and ${closed.length - shown.length} earlier (see --json)`] : [];
  return [
    '  closed pairs  mid premiums at entry and exit; KRW: premium move + USDT/KRW move − fees − spread = PnL',
    `${row(columns.map(([name]) => name))}  closed by`,
    ...lines,
    ...more,
  ];
}
