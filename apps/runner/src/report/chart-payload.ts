import { drawdownKrw } from './drawdown.js';
import type { ReportData, ReportTrade } from './report-data.js';

/** A trade as drawn on its asset's premium chart: times in seconds, premiums in percent. */
export interface TradeMarker {
  readonly id: string;
  /** `sell`: sold KRW, bought USDT (opened on a high premium); `buy`: the other way. */
  readonly side: 'sell' | 'buy';
  readonly open: number;
  readonly close: number | null;
  readonly entry: number;
  readonly exit: number | null;
  readonly pnlKrw: number | null;
}

export interface PremiumChart {
  readonly id: string;
  readonly asset: string;
  readonly t: number[];
  readonly mid: number[];
  readonly reference: number[];
  readonly trades: TradeMarker[];
}

/** One bar of the "where the money went" waterfall, from y0 to y1 KRW. */
export interface CostStep {
  readonly label: string;
  readonly y0: number;
  readonly y1: number;
  readonly kind: 'gain' | 'loss' | 'total';
}

/**
 * What the page's script draws. Times are seconds since the epoch (uPlot's unit), premiums percent;
 * NaN marks a gap and reaches the page as null (see jsonForScript).
 */
export interface ChartPayload {
  /** The time span of everything shown, for charts that have no samples of their own. */
  readonly span: readonly [number, number] | null;
  readonly premiums: PremiumChart[];
  readonly equity: { readonly id: string; readonly t: number[]; readonly krw: number[] };
  readonly drawdown: { readonly id: string; readonly t: number[]; readonly krw: number[] };
  readonly costs: { readonly id: string; readonly steps: CostStep[] };
}

const seconds = (ms: number): number => ms / 1000;
const percent = (fraction: number): number => fraction * 100;
/** A residual below this many KRW is rounding, not a missing cost. */
const RESIDUAL_KRW = 1;

export function buildChartPayload(data: ReportData): ChartPayload {
  const premiums = data.assets.map((asset, index) => premiumChart(data, asset, index));
  return {
    span: timeSpan(data),
    premiums,
    equity: { id: 'equity', t: data.equity.t.map(seconds), krw: [...data.equity.krw] },
    drawdown: { id: 'drawdown', t: data.equity.t.map(seconds), krw: drawdownKrw(data.equity.krw) },
    costs: { id: 'costs', steps: costSteps(data.costs) },
  };
}

function premiumChart(data: ReportData, asset: string, index: number): PremiumChart {
  const series = data.premiums[asset];
  return {
    id: `premium-${index}`,
    asset,
    t: (series?.t ?? []).map(seconds),
    mid: (series?.mid ?? []).map(percent),
    reference: (series?.reference ?? []).map(percent),
    trades: data.trades.filter((trade) => trade.asset === asset).map(tradeMarker),
  };
}

function tradeMarker(trade: ReportTrade): TradeMarker {
  return {
    id: trade.id,
    side: trade.direction === 'sell_krw_buy_usdt' ? 'sell' : 'buy',
    open: seconds(trade.openedAt),
    close: trade.closedAt === undefined ? null : seconds(trade.closedAt),
    entry: percent(trade.entryPremium),
    exit: trade.exitPremium === undefined ? null : percent(trade.exitPremium),
    pnlKrw: trade.pnlKrw ?? null,
  };
}

function timeSpan(data: ReportData): readonly [number, number] | null {
  const times = [
    ...Object.values(data.premiums).flatMap((series) => [series.t[0], series.t.at(-1)]),
    data.equity.t[0],
    data.equity.t.at(-1),
    ...data.trades.flatMap((trade) => [trade.openedAt, trade.closedAt]),
  ].filter((time): time is number => time !== undefined && Number.isFinite(time));
  if (times.length === 0) return spanOfSource(data.source.from, data.source.to);
  const from = Math.min(...times);
  const to = Math.max(...times);
  return [seconds(from), seconds(to > from ? to : from + 1000)];
}

function spanOfSource(from: string, to: string): readonly [number, number] | null {
  const start = Date.parse(from);
  const end = Date.parse(to);
  return Number.isFinite(start) && Number.isFinite(end) && end > start
    ? [seconds(start), seconds(end)]
    : null;
}

/** premium + rate − fees − spread = pnl as a waterfall; anything the four do not explain shows as "other". */
export function costSteps(costs: ReportData['costs']): CostStep[] {
  const moves = [
    { label: 'Premium', krw: costs.premiumKrw },
    { label: 'USDT/KRW move', krw: costs.rateKrw },
    { label: 'Fees', krw: -costs.feesKrw },
    { label: 'Spread', krw: -costs.spreadKrw },
  ];
  const explained = moves.reduce((sum, move) => sum + move.krw, 0);
  const residual = costs.pnlKrw - explained;
  if (Number.isFinite(residual) && Math.abs(residual) >= RESIDUAL_KRW)
    moves.push({ label: 'Other', krw: residual });
  let level = 0;
  const steps: CostStep[] = moves.map((move) => {
    const y0 = level;
    level += Number.isFinite(move.krw) ? move.krw : 0;
    return { label: move.label, y0, y1: level, kind: move.krw < 0 ? 'loss' : 'gain' };
  });
  steps.push({ label: 'PnL', y0: 0, y1: costs.pnlKrw, kind: 'total' });
  return steps;
}
