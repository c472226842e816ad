import { describe, expect, it } from 'vitest';
import { flatBook } from '../test-support/books.js';
import { createHarness, MIDDLE, PARITY, TEST_ENGINE, WIDE } from '../test-support/harness.js';
import { TEST_VENUES } from '../test-support/venues.js';
import { ArbitrageEngine } from './arbitrage-engine.js';
import { copyDecision } from './decision.js';
import type { TradeEvent } from './pair-execution.js';

describe('ArbitrageEngine lifecycle', () => {
  it('opens a hedged pair when the net premium crosses the entry threshold', () => {
    const { engine, broker, clock, pushAll } = createHarness();
    const events: TradeEvent[] = [];
    engine.onTradeEvent((event) => events.push(event));

    const decision = pushAll(WIDE);
    const kept = copyDecision(decision);
    expect(decision.kind).toBe('open');
    expect(decision.direction).toBe('sell_krw_buy_usdt');
    expect(decision.premium.sellKrw.netPremium).toBeGreaterThan(0.017);
    expect(broker.activeOrderCount()).toBe(2);
    const orders = broker.activeOrders();
    expect(orders.map((o) => `${o.exchange}:${o.side}:${o.size}`).sort()).toEqual([
      'binance:buy:0.01',
      'upbit:sell:0.01',
    ]);

    clock.advance(20);
    expect(broker.activeOrderCount()).toBe(0);
    const [trade] = engine.trades();
    expect(trade?.state).toBe('open');
    expect(trade?.krw.position).toBeCloseTo(-0.01, 12);
    expect(trade?.usdt.position).toBeCloseTo(0.01, 12);
    expect(events.map((e) => e.type)).toEqual(['opened']);
    pushAll(WIDE);
    expect(decision.kind).toBe('skip');
    expect(kept).toMatchObject({ kind: 'open', tradeId: trade?.id, asset: 'BTC', route: 'upbit-binance' });
    expect(JSON.parse(JSON.stringify(kept)).premium.sellKrw.netPremium).toBe(kept.premium.sellKrw.netPremium);
    expect(engine.summary().trades).toMatchObject({
      opened: 1,
      closed: 0,
      openFailed: 0,
      open: 1,
      closedBy: {},
    });
  });

  it('waits while the pair is filling, and holds while the premium stays between the thresholds', () => {
    const { engine, clock, pushAll } = createHarness();
    pushAll(WIDE);
    clock.advance(5);
    const waiting = pushAll(WIDE);
    expect(waiting.kind).toBe('wait');
    expect(waiting.reason).toBe('orders_pending');
    clock.advance(15);
    const holding = pushAll(MIDDLE);
    expect(holding.kind).toBe('skip');
    expect(holding.reason).toBe('below_threshold');
    expect(engine.trades()[0]?.state).toBe('open');
  });

  it('closes when the premium reverts past the exit threshold, realising the PnL', () => {
    const { engine, broker, clock, pushAll } = createHarness();
    pushAll(WIDE);
    clock.advance(20);
    clock.advance(1_000);
    const decision = pushAll(PARITY);
    expect(decision.kind).toBe('close');
    expect(
      broker
        .activeOrders()
        .map((o) => `${o.exchange}:${o.side}`)
        .sort(),
    ).toEqual(['binance:sell', 'upbit:buy']);
    clock.advance(20);
    const [trade] = engine.trades();
    expect(trade?.state).toBe('closed');
    expect(trade?.closeReason).toBe('converged');
    expect(trade?.krw.position).toBeCloseTo(0, 12);
    expect(trade?.usdt.position).toBeCloseTo(0, 12);
    const summary = engine.summary();
    expect(summary.trades).toMatchObject({
      opened: 1,
      closed: 1,
      openFailed: 0,
      open: 0,
      closedBy: { converged: 1 },
    });
    expect(summary.trades.byRoute['upbit-binance']).toEqual({
      krw: 'upbit',
      usdt: 'binance',
      opened: 1,
      closed: 1,
      openFailed: 0,
      open: 0,
      closedBy: { converged: 1 },
      realisedKrw: summary.pnl.realisedKrw,
      realisedUsd: summary.pnl.realisedUsd,
    });
    // entry ~1.8 % net, exit ~0.2 %: about 1.6 % of 1.4 M KRW
    expect(summary.pnl.realisedKrw).toBeGreaterThan(18_000);
    expect(summary.pnl.realisedKrw).toBeLessThan(26_000);
    expect(summary.pnl.realisedUsd).toBeCloseTo(summary.pnl.realisedKrw / summary.pnl.usdtKrw, 6);
    expect(summary.pnl.unrealisedKrw).toBe(0);
  });

  it('closes after the maximum holding time whatever the premium', () => {
    const { engine, clock, pushAll } = createHarness();
    pushAll(WIDE);
    clock.advance(20);
    clock.advance(TEST_ENGINE.exit.maxHoldingMs - 100);
    expect(pushAll(MIDDLE).reason).toBe('below_threshold');
    clock.advance(100);
    pushAll(MIDDLE);
    expect(engine.lastDecision('BTC')?.kind).toBe('close');
    clock.advance(20);
    expect(engine.trades()[0]?.closeReason).toBe('max_holding');
    expect(engine.summary().trades.closed).toBe(1);
  });

  it('opens the reverse pair when the asset is dearer on Binance, unless that direction is disabled', () => {
    const reverse = { krw: 137_200_000, usdt: 100_000 };
    const both = createHarness();
    const decision = both.pushAll(reverse);
    expect(decision.kind).toBe('open');
    expect(decision.direction).toBe('buy_krw_sell_usdt');
    expect(
      both.broker
        .activeOrders()
        .map((o) => `${o.exchange}:${o.side}`)
        .sort(),
    ).toEqual(['binance:sell', 'upbit:buy']);

    const oneWay = createHarness({ engine: { ...TEST_ENGINE, directions: ['sell_krw_buy_usdt'] } });
    expect(oneWay.pushAll(reverse).reason).toBe('below_threshold');
    expect(oneWay.broker.stats().submitted).toBe(0);
  });

  it('unwinds a pair whose legs filled unevenly', () => {
    const { engine, broker, clock, pushAll, push } = createHarness();
    pushAll(WIDE);
    // Binance's asks thin out during the latency: only 0.004 BTC is there at fill time.
    push('binance', 'BTC/USDT', [[99_990, 1]], [[100_010, 0.004]]);
    clock.advance(20);
    const [trade] = engine.trades();
    expect(trade?.usdt.position).toBeCloseTo(0.004, 12);
    expect(trade?.closeReason).toBe('unhedged');
    const decision = pushAll(WIDE);
    expect(decision.kind).toBe('close');
    clock.advance(20);
    expect(engine.trades()[0]?.state).toBe('closed');
    expect(broker.balance('upbit', 'BTC')).toBeCloseTo(1, 12);
    expect(broker.balance('binance', 'BTC')).toBeCloseTo(1, 12);
  });

  it('keeps a pair open, warning once, while a leg cannot be unwound for lack of balance', () => {
    const warnings: string[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: (_fields: object, message?: string) => warnings.push(message ?? ''),
      error: () => {},
      child: () => logger,
    };
    const { engine, clock, pushAll } = createHarness({
      logger,
      paper: {
        latencyMs: 20,
        initialBalances: { krw: { KRW: 0, BTC: 1 }, usdt: { USDT: 100_000, BTC: 1 } },
      },
    });
    pushAll(WIDE);
    clock.advance(20);
    // Upbit rallies: buying the 0.01 BTC back costs more KRW than the sale brought in.
    clock.advance(TEST_ENGINE.exit.maxHoldingMs);
    expect(pushAll({ krw: 145_600_000, usdt: 100_000 }).kind).toBe('close');
    clock.advance(20);
    for (let i = 0; i < 3; i++) pushAll({ krw: 145_600_000, usdt: 100_000 });
    const [trade] = engine.trades();
    expect(trade?.state).toBe('open');
    expect(trade?.closeReason).toBe('max_holding');
    expect(trade?.usdt.position).toBe(0);
    expect(trade?.krw.position).toBeCloseTo(-0.01, 12);
    expect(warnings.filter((w) => w.startsWith('cannot unwind'))).toHaveLength(1);
  });

  it('counts a pair whose legs both failed to fill as open_failed', () => {
    const { engine, clock, pushAll, market } = createHarness();
    pushAll(WIDE);
    market.updateSnapshot(flatBook('upbit', 'BTC/KRW', 142_800_000, clock.now() + 1, 0.0002, 0));
    market.updateSnapshot(flatBook('binance', 'BTC/USDT', 100_000, clock.now() + 1, 0.0002, 0));
    clock.advance(20);
    const summary = engine.summary();
    expect(summary.trades).toMatchObject({ opened: 1, closed: 0, openFailed: 1, open: 0, closedBy: {} });
    expect(summary.trades.byRoute['upbit-binance']).toMatchObject({ opened: 1, openFailed: 1, open: 0 });
    expect(engine.trades()[0]?.closeReason).toBe('open_failed');
  });

  it('stops opening on request, and stop() cancels active orders leaving no timer', () => {
    const first = createHarness();
    first.engine.stopOpening('shutdown');
    expect(first.pushAll(WIDE).reason).toBe('opening_stopped');
    expect(first.broker.stats().submitted).toBe(0);

    const second = createHarness();
    second.pushAll(WIDE);
    expect(second.clock.pendingTimers).toBe(2);
    second.engine.stop();
    expect(second.clock.pendingTimers).toBe(0);
    expect(second.broker.activeOrderCount()).toBe(0);
    expect(second.engine.summary().trades.openFailed).toBe(1);
    expect(second.broker.stats().fills.cancelled).toBe(2);
  });

  it('evaluates only the assets a book update touches, and every asset on a USDT/KRW update', () => {
    const { engine, clock } = createHarness({
      engine: {
        ...TEST_ENGINE,
        assets: [
          { asset: 'BTC', tradeSize: 0.01 },
          { asset: 'ETH', tradeSize: 0.1 },
        ],
      },
      limits: { ...createHarness().riskGuard.limits, maxPositionPerAsset: { BTC: 1, ETH: 10 } },
    });
    expect(engine.onSnapshot(flatBook('binance', 'ETH/USDT', 3_000, clock.now()))).toBe(1);
    expect(engine.onSnapshot(flatBook('upbit', 'USDT/KRW', 1_400, clock.now()))).toBe(2);
    expect(engine.onSnapshot(flatBook('binance', 'SOL/USDT', 100, clock.now()))).toBe(0);
    expect(engine.markets().map((m) => `${m.exchange}:${m.symbol}`)).toEqual([
      'upbit:BTC/KRW',
      'binance:BTC/USDT',
      'upbit:ETH/KRW',
      'binance:ETH/USDT',
      'upbit:USDT/KRW',
    ]);
    expect(engine.summary().evaluations.count).toBe(3);
  });

  it('refuses to start when the RiskGuard has no position limit for a configured asset', () => {
    expect(() =>
      createHarness({
        engine: {
          ...TEST_ENGINE,
          assets: [
            { asset: 'BTC', tradeSize: 0.01 },
            { asset: 'ETH', tradeSize: 0.1 },
          ],
        },
      }),
    ).not.toThrow();
    const guard = createHarness({
      limits: { ...createHarness().riskGuard.limits, maxPositionPerAsset: { BTC: 1 } },
    });
    expect(
      () =>
        new ArbitrageEngine({
          config: { ...TEST_ENGINE, assets: [{ asset: 'ETH', tradeSize: 0.1 }] },
          venues: TEST_VENUES,
          market: guard.market,
          broker: guard.broker,
          riskGuard: guard.riskGuard,
        }),
    ).toThrow(
      /limits do not cover the configured assets: limits.maxPositionPerAsset.ETH is not set: add a cap for ETH \(base units\), or make maxPositionPerAsset one number for every asset/,
    );
  });

  it('trades on a fixed FX rate without any USDT/KRW book', () => {
    const { engine, clock, broker } = createHarness({
      engine: { ...TEST_ENGINE, conversion: { mode: 'fx', usdKrw: 1_400 } },
    });
    engine.onSnapshot(flatBook('binance', 'BTC/USDT', 100_000, clock.now()));
    engine.onSnapshot(flatBook('upbit', 'BTC/KRW', 142_800_000, clock.now()));
    expect(engine.lastDecision('BTC')?.kind).toBe('open');
    expect(engine.lastDecision('BTC')?.premium.conversion).toBe('fx');
    expect(engine.markets()).toHaveLength(2);
    clock.advance(20);
    expect(broker.fills()).toHaveLength(2);
  });
});
