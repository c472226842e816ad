import type { ReportData, ReportTrade } from '../src/report/report-data.js';

const T0 = Date.UTC(2026, 11, 6, 0, 0, 0);
const SAMPLES = 3000;
/** Shows up in a trade's close reason: it must be shown as text, never run. */
export const HOSTILE_TEXT = '</script><script>window.__pwned = 1</script>';

/** A deterministic pseudo-random walk, so the pictures do not change between runs. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
}

function premiums(asset: string, k: number): { t: number[]; mid: number[]; reference: number[] } {
  const random = noise(k + 7);
  const t: number[] = [];
  const mid: number[] = [];
  const reference: number[] = [];
  let wander = 0;
  for (let i = 0; i < SAMPLES; i++) {
    wander = wander * 0.995 + random() * 0.0004;
    t.push(T0 + i * 1000);
    const base = 0.021 + 0.002 * Math.sin(i / 400 + k) + wander;
    // The reference is unknown for the first 60 s, and ETH's feed drops out for a minute.
    const midGap = asset === 'ETH' && i >= 1200 && i < 1260;
    mid.push(midGap ? Number.NaN : base);
    reference.push(i < 60 ? Number.NaN : 0.021 + 0.0008 * Math.sin(i / 1200 + k));
  }
  return { t, mid, reference };
}

function trades(series: Record<string, { mid: number[] }>): ReportTrade[] {
  const plan: [string, number, number | undefined, ReportTrade['direction']][] = [
    ['BTC', 150, 420, 'sell_krw_buy_usdt'],
    ['BTC', 700, 905, 'buy_krw_sell_usdt'],
    ['BTC', 1300, 1710, 'sell_krw_buy_usdt'],
    ['BTC', 2100, 2600, 'buy_krw_sell_usdt'],
    ['ETH', 90, 300, 'buy_krw_sell_usdt'],
    ['ETH', 620, 1100, 'sell_krw_buy_usdt'],
    ['ETH', 1500, 1800, 'sell_krw_buy_usdt'],
    ['ETH', 2300, 2750, 'buy_krw_sell_usdt'],
    ['XRP', 200, 500, 'sell_krw_buy_usdt'],
    ['XRP', 900, 1450, 'buy_krw_sell_usdt'],
    ['XRP', 1900, 2300, 'sell_krw_buy_usdt'],
    ['XRP', 2600, undefined, 'sell_krw_buy_usdt'],
  ];
  return plan.map(([asset, open, close, direction], n) => {
    const mid = series[asset]!.mid;
    const entryPremium = mid[open]!;
    const exitPremium = close === undefined ? undefined : mid[close]!;
    const sign = direction === 'sell_krw_buy_usdt' ? 1 : -1;
    const pnlKrw =
      exitPremium === undefined ? undefined : Math.round(sign * (entryPremium - exitPremium) * 1e7 - 1500);
    return {
      id: `${asset.toLowerCase()}-${n + 1}`,
      asset,
      direction,
      openedAt: T0 + open * 1000,
      closedAt: close === undefined ? undefined : T0 + close * 1000,
      entryPremium,
      exitPremium,
      pnlKrw,
      closeReason:
        close === undefined ? undefined : n === 3 ? HOSTILE_TEXT : n % 3 === 0 ? 'max-hold' : 'converged',
    };
  });
}

function equity(closed: readonly ReportTrade[]): { t: number[]; krw: number[] } {
  const random = noise(99);
  const t: number[] = [];
  const krw: number[] = [];
  for (let i = 0; i < SAMPLES; i += 5) {
    const now = T0 + i * 1000;
    const realised = closed
      .filter((trade) => trade.closedAt !== undefined && trade.closedAt <= now)
      .reduce((sum, trade) => sum + (trade.pnlKrw ?? 0), 0);
    t.push(now);
    krw.push(i >= 1000 && i < 1050 ? Number.NaN : realised + Math.round(random() * 4000));
  }
  return { t, krw };
}

/** Three assets, 3000 samples each with NaN gaps, a dozen trades (one still open), equity with a gap. */
export function syntheticReport(): ReportData {
  const assets = ['BTC', 'ETH', 'XRP'];
  const series = Object.fromEntries(assets.map((asset, k) => [asset, premiums(asset, k)]));
  const tradeList = trades(series);
  const pnlKrw = tradeList.reduce((sum, trade) => sum + (trade.pnlKrw ?? 0), 0);
  const feesKrw = 11 * 1200;
  const spreadKrw = 11 * 300;
  const rateKrw = -2400;
  return {
    title: 'Backtest: rec-2026-12-06 (BTC, ETH, XRP)',
    source: {
      data: 'rec-2026-12-06',
      from: '2026-12-06T00:00:00Z',
      to: '2026-12-06T00:50:00Z',
      config: 'default',
    },
    assets,
    premiums: series,
    trades: tradeList,
    equity: equity(tradeList),
    costs: { premiumKrw: pnlKrw + feesKrw + spreadKrw - rateKrw, rateKrw, feesKrw, spreadKrw, pnlKrw },
    summary: {
      trades: tradeList.length,
      'closed / open': '11 / 1',
      'PnL, KRW': pnlKrw,
      'win rate': '7 of 11',
      'fees paid, KRW': feesKrw,
    },
  };
}

/** Nothing at all: no asset, no trade, no equity sample. */
export function emptyReport(): ReportData {
  return {
    title: 'Backtest: empty',
    source: {
      data: 'rec-empty',
      from: '2026-12-06T00:00:00Z',
      to: '2026-12-06T00:10:00Z',
      config: 'default',
    },
    assets: [],
    premiums: {},
    trades: [],
    equity: { t: [], krw: [] },
    costs: { premiumKrw: 0, rateKrw: 0, feesKrw: 0, spreadKrw: 0, pnlKrw: 0 },
    summary: {},
  };
}

/** One asset with premiums but no trade and no equity sample. */
export function oneAssetReport(): ReportData {
  return {
    ...emptyReport(),
    title: 'Backtest: one asset, no trades',
    assets: ['BTC'],
    premiums: { BTC: premiums('BTC', 0) },
  };
}
