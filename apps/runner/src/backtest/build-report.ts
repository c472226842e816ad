import type { ReportData } from '../report/index.js';
import type { BacktestSummary } from './backtest-summary.js';
import { type BacktestSeries, premiumChartKey } from './report-sampler.js';

/** The report page's data from a backtest's summary and sampled series. */
export function buildReportData(
  summary: BacktestSummary,
  series: BacktestSeries,
  configLabel: string,
): ReportData {
  const costs = { premiumKrw: 0, rateKrw: 0, feesKrw: 0, spreadKrw: 0, pnlKrw: 0 };
  const routeCount = Object.keys(summary.trades.byRoute).length;
  const trades = summary.tradeLog.map((trade) => {
    if (trade.costs) {
      costs.premiumKrw += trade.costs.premiumKrw;
      costs.rateKrw += trade.costs.rateKrw;
      costs.feesKrw += trade.costs.feesKrw;
      costs.spreadKrw += trade.costs.spreadKrw;
      costs.pnlKrw += trade.costs.pnlKrw;
    }
    return {
      id: trade.id,
      // Drawn on the chart of its asset on its route.
      asset: premiumChartKey(trade.asset, trade.route, routeCount),
      direction: trade.direction as 'sell_krw_buy_usdt' | 'buy_krw_sell_usdt',
      openedAt: trade.openedAt,
      closedAt: trade.closedAt,
      entryPremium: trade.entry.midPremium,
      exitPremium: trade.exit?.midPremium,
      pnlKrw: trade.costs?.pnlKrw,
      closeReason: trade.closeReason,
    };
  });
  const assets = Object.entries(summary.premiums).flatMap(([asset, routes]) =>
    Object.keys(routes).map((route) => premiumChartKey(asset, route, routeCount)),
  );
  const end = Date.parse(summary.startedAt) + summary.durationMs;
  const marketTime =
    summary.marketTime.timeScale === 1 ? 'real time' : `market time ×${summary.marketTime.timeScale}`;
  return {
    title: `Backtest: ${summary.data} (${assets.join(', ')})`,
    source: {
      data: summary.data,
      from: summary.startedAt,
      to: new Date(end).toISOString(),
      config: configLabel,
    },
    assets,
    premiums: series.premiums,
    trades,
    equity: series.equity,
    costs,
    summary: {
      'PnL, KRW (realised + open)': Math.round(summary.pnl.totalKrw),
      'realised PnL, KRW': Math.round(summary.pnl.realisedKrw),
      'pairs opened': summary.trades.opened,
      'closed on convergence': summary.trades.closedBy.converged ?? 0,
      'closed on stop-loss': summary.trades.closedBy.stop_loss ?? 0,
      'closed on max holding': summary.trades.closedBy.max_holding ?? 0,
      'still open': summary.trades.open,
      'replayed frames': Object.values(summary.replay.exchanges).reduce(
        (sum, stats) => sum + stats.frames,
        0,
      ),
      'recorded from': `${summary.market === 'sim' ? 'the simulator' : 'live exchanges'}, ${marketTime}`,
    },
  };
}
