import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/summary/run-summary.js';
import { requireBuilt, startCli } from './run-cli.js';

beforeAll(requireBuilt);

const close = (actual: number, expected: number, tolerance: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
};

describe('paper --duration 45s --json on the simulator (default config: the demo preset)', () => {
  it('trades the demo spike and closes on convergence at a profit; PnL is what the fills and fees imply; balances reconcile', async () => {
    const run = startCli(['paper', '--duration', '45s', '--json', '--status-interval', '5s']);
    const result = await run.finished;
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!) as RunSummary;

    expect(summary.label).toBe('SIMULATED MARKET');
    expect(summary.market).toBe('sim');
    expect(summary.mode).toBe('paper');
    expect(summary.stopReason).toBe('duration');
    expect(summary.durationMs).toBeGreaterThanOrEqual(45_000);
    expect(result.stderr).toMatch(/\[SIMULATED MARKET\] \d+s \| BTC /);
    expect(result.stderr).toContain('simulator preset "demo": market time runs 60× faster');
    expect(summary.marketTime).toEqual({ preset: 'demo', timeScale: 60 });

    // The spike from 15 s opens pairs; its reversion closes at least one on convergence, and what
    // closed made money after every fee and spread (five seeds × 60 s: README, "Why these defaults").
    expect(summary.trades.opened).toBeGreaterThan(0);
    expect(summary.trades.closedBy.converged ?? 0).toBeGreaterThan(0);
    expect(summary.pnl.realisedKrw).toBeGreaterThan(0);
    for (const premium of Object.values(summary.premiums).flatMap((routes) => Object.values(routes))) {
      expect(premium.breakEven.fees).toBeCloseTo((1.0005 * 1.001) / (0.9995 * 0.999) - 1, 9);
      expect(premium.breakEven.sellKrw).toBeGreaterThan(premium.breakEven.fees);
    }
    const closed = summary.tradeLog.filter((trade) => trade.state === 'closed' && trade.realised);
    expect(closed).toHaveLength(summary.trades.closed);

    // Realised PnL = Σ over closed pairs of the cash their fills moved, fees included:
    // KRW flow + USDT flow × the USDT/KRW rate at close (dust left, if any, at its last fill price).
    let realisedKrw = 0;
    for (const trade of closed) {
      for (const leg of [trade.krw, trade.usdt]) {
        let flow = 0;
        let position = 0;
        for (const fill of leg.fills) {
          const sign = fill.side === 'buy' ? 1 : -1;
          flow += -sign * fill.notional - fill.fee;
          position += sign * fill.filledSize;
          close(fill.fee, fill.notional * (leg.exchange === 'upbit' ? 0.0005 : 0.001), 1e-9 * fill.notional);
        }
        close(flow, leg.quoteFlow, 1e-6 * Math.abs(leg.quoteFlow) + 1e-9);
        const dust = Math.abs(position) < 1e-9 * trade.size ? 0 : position * leg.lastFillPrice;
        realisedKrw += leg.exchange === 'upbit' ? flow + dust : (flow + dust) * trade.realised!.usdtKrw;
      }
    }
    close(summary.pnl.realisedKrw, realisedKrw, 1e-6 * Math.abs(realisedKrw) + 1e-6);
    for (const trade of closed) {
      const costs = trade.costs!;
      close(costs.pnlKrw, trade.realised!.krw, 1e-6);
      close(costs.premiumKrw + costs.rateKrw - costs.feesKrw - costs.spreadKrw, costs.pnlKrw, 1e-6);
    }
    close(summary.pnl.totalKrw, summary.pnl.realisedKrw + summary.pnl.unrealisedKrw, 1e-6);

    // Balances: final = initial + the effect of every fill, per exchange and asset.
    const { initial, final, fillFlows } = summary.balances;
    for (const exchange of Object.keys(final)) {
      for (const asset of Object.keys(final[exchange]!)) {
        const expected = (initial[exchange]?.[asset] ?? 0) + (fillFlows[exchange]?.[asset] ?? 0);
        close(final[exchange]![asset]!, expected, 1e-9 * Math.max(1, Math.abs(expected)));
        expect(final[exchange]![asset]!).toBeGreaterThanOrEqual(0);
      }
    }
    // Independently: every fill belongs to a pair, so the pairs' fills sum to the same flows.
    const fromTrades: Record<string, Record<string, number>> = {};
    for (const trade of summary.tradeLog) {
      for (const leg of [trade.krw, trade.usdt]) {
        const [base, quote] = leg.symbol.split('/') as [string, string];
        fromTrades[leg.exchange] ??= {};
        const flows = fromTrades[leg.exchange]!;
        for (const fill of leg.fills) {
          const sign = fill.side === 'buy' ? 1 : -1;
          flows[base] = (flows[base] ?? 0) + sign * fill.filledSize;
          flows[quote] = (flows[quote] ?? 0) - sign * fill.notional - fill.fee;
        }
      }
    }
    for (const [exchange, assets] of Object.entries(fillFlows)) {
      for (const [asset, amount] of Object.entries(assets)) {
        close(fromTrades[exchange]?.[asset] ?? 0, amount, 1e-9 * Math.max(1, Math.abs(amount)));
      }
    }
    // Fees charged equal the fees on the fills.
    const feesFromTrades = { KRW: 0, USDT: 0 };
    for (const trade of summary.tradeLog) {
      feesFromTrades.KRW += trade.krw.fees;
      feesFromTrades.USDT += trade.usdt.fees;
    }
    close(summary.orders.fees.KRW ?? 0, feesFromTrades.KRW, 1e-6);
    close(summary.orders.fees.USDT ?? 0, feesFromTrades.USDT, 1e-9);

    // Loop time: count and percentiles reported. Bounds are loose for a loaded 2-core machine; the
    // measured numbers are in the README.
    expect(summary.loops.count).toBeGreaterThan(100);
    expect(summary.loops.p50Us).toBeLessThan(1_000);
    expect(summary.loops.p99Us).toBeLessThan(20_000);
    expect(summary.activeOrders).toBeGreaterThanOrEqual(0);
    expect(Object.keys(summary.feedHealth.instruments)).toHaveLength(7);
    expect(result.stderr).not.toContain('shutdown watchdog');
  }, 70_000);
});

describe('paper --exchanges upbit,binance,okx on the simulator', () => {
  it('watches Upbit-Binance and Upbit-OKX, every OKX book live, and names the route of every pair', async () => {
    const run = startCli(['paper', '--duration', '20s', '--json', '--exchanges', 'upbit,binance,okx']);
    const result = await run.finished;
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    const summary = JSON.parse(result.stdout.trim()) as RunSummary;

    const okxBooks = Object.entries(summary.feedHealth.instruments).filter(([id]) => id.startsWith('okx:'));
    expect(okxBooks.map(([id]) => id).sort()).toEqual(['okx:BTC/USDT', 'okx:ETH/USDT', 'okx:XRP/USDT']);
    for (const [id, health] of okxBooks) expect(health.state, id).toBe('live');
    for (const [asset, routes] of Object.entries(summary.premiums)) {
      expect(Object.keys(routes).sort(), asset).toEqual(['upbit-binance', 'upbit-okx']);
    }
    expect(Object.keys(summary.trades.byRoute).sort()).toEqual(['upbit-binance', 'upbit-okx']);
    for (const trade of summary.tradeLog) {
      expect(trade.route).toBe(`${trade.krw.exchange}-${trade.usdt.exchange}`);
    }
    const opened = Object.values(summary.trades.byRoute).reduce((sum, route) => sum + route.opened, 0);
    expect(opened).toBe(summary.trades.opened);
  }, 45_000);
});
