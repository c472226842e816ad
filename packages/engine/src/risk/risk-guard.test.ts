import { ConfigError, ManualClock } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { createHarness, PARITY, TEST_LIMITS, WIDE } from '../test-support/harness.js';
import { type OpenRequest, RiskGuard } from './risk-guard.js';
import { riskLimitProblems } from './risk-limits.js';

const DAY = 86_400_000;

function guard(options: Partial<ConstructorParameters<typeof RiskGuard>[0]> = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
  return { clock, guard: new RiskGuard({ limits: TEST_LIMITS, clock, ...options }) };
}

const PAIR: OpenRequest = {
  asset: 'BTC',
  size: 0.01,
  notionalUsd: 1_000,
  openTrades: 0,
  assetPosition: 0,
  orders: 2,
};

describe('RiskGuard caps', () => {
  it('allows a pair inside every cap', () => {
    expect(guard().guard.checkOpen(PAIR)).toBeUndefined();
  });

  it('refuses a single order above the notional cap, counting the reason, without halting', () => {
    const { guard: g } = guard();
    expect(g.checkOpen({ ...PAIR, notionalUsd: 10_000.01 })).toBe('max_notional');
    expect(g.checkOpen({ ...PAIR, notionalUsd: Number.NaN })).toBe('max_notional');
    expect(g.halted).toBe(false);
    expect(g.refusals()).toEqual({ max_notional: 2 });
  });

  it('refuses past the open-trade and per-asset position caps', () => {
    const { guard: g } = guard({ limits: { ...TEST_LIMITS, maxPositionPerAsset: { BTC: 0.02, ETH: 1 } } });
    expect(g.checkOpen({ ...PAIR, openTrades: 3 })).toBe('max_open_trades');
    expect(g.checkOpen({ ...PAIR, assetPosition: 0.01 })).toBeUndefined();
    expect(g.checkOpen({ ...PAIR, assetPosition: 0.015 })).toBe('max_position');
    expect(g.checkOpen({ ...PAIR, asset: 'ETH', size: 1 })).toBeUndefined();
    expect(g.refusals()).toEqual({ max_open_trades: 1, max_position: 1 });
  });

  it('refuses books older than the freshness limit', () => {
    const { guard: g } = guard();
    expect(g.checkBookAge(TEST_LIMITS.maxBookAgeMs)).toBe(true);
    expect(g.checkBookAge(TEST_LIMITS.maxBookAgeMs + 1)).toBe(false);
    expect(g.refusals()).toEqual({ stale_book: 1 });
  });

  it('refuses orders beyond the per-second rate and latches a halt (fault scenario 37: 20 orders/s)', () => {
    const { clock, guard: g } = guard();
    const verdicts: Array<string | undefined> = [];
    // A runaway strategy: 20 single orders in one second against a cap of 10.
    for (let i = 0; i < 20; i++) {
      const verdict = g.checkOpen({ ...PAIR, orders: 1 });
      verdicts.push(verdict);
      if (verdict === undefined) g.recordOrders(1);
      clock.advance(50);
    }
    expect(verdicts.slice(0, 10)).toEqual(Array(10).fill(undefined));
    expect(verdicts[10]).toBe('orders_per_second');
    expect(verdicts.slice(11)).toEqual(Array(9).fill('halted'));
    expect(g.halted).toBe(true);
    expect(g.haltState().reason).toMatch(/^order_rate_breach/);
    // Quiet for a long time, a new day: still halted. Never auto-resumes.
    clock.advance(2 * DAY);
    expect(g.checkOpen(PAIR)).toBe('halted');
    g.resetHalt('alice');
    expect(g.checkOpen(PAIR)).toBeUndefined();
    expect(g.haltState()).toMatchObject({ halted: false, lastResetBy: 'alice' });
    expect(g.refusals()).toEqual({ orders_per_second: 1, halted: 10 });
  });

  it('counts the rate over a sliding second, and can refuse without latching', () => {
    const { clock, guard: g } = guard({ haltOnOrderRateBreach: false });
    g.recordOrders(9);
    clock.advance(999);
    expect(g.ordersInLastSecond()).toBe(9);
    expect(g.checkOpen(PAIR)).toBe('orders_per_second');
    expect(g.halted).toBe(false);
    clock.advance(1);
    expect(g.ordersInLastSecond()).toBe(0);
    expect(g.checkOpen(PAIR)).toBeUndefined();
  });
});

describe('RiskGuard daily loss halt (fault scenario 37)', () => {
  it('latches when the realised loss reaches the limit, and stays latched until a person resets it', () => {
    const { clock, guard: g } = guard();
    g.recordRealisedPnl(-600);
    expect(g.halted).toBe(false);
    g.recordRealisedPnl(250);
    g.recordRealisedPnl(-650);
    expect(g.halted).toBe(true);
    expect(g.haltState().reason).toMatch(/^daily_loss_limit: realised -1000.00 USD/);
    expect(g.checkOpen(PAIR)).toBe('halted');
    // A profitable close, the day boundary, and a day of quiet change nothing.
    g.recordRealisedPnl(5_000);
    clock.advance(DAY);
    expect(g.dailyPnlUsd()).toBe(0);
    expect(g.halted).toBe(true);
    expect(g.checkOpen(PAIR)).toBe('halted');

    expect(() => g.resetHalt('  ')).toThrow(/name of the person/);
    expect(g.halted).toBe(true);
    g.resetHalt('ops:bob');
    expect(g.halted).toBe(false);
    expect(g.haltState()).toMatchObject({ lastResetBy: 'ops:bob', lastResetAt: clock.now() });
    expect(g.refusals()).toEqual({ halted: 2 });
  });

  it('starts a fresh loss budget after a reset, and resets the tally at the day boundary', () => {
    const { clock, guard: g } = guard();
    g.recordRealisedPnl(-1_200);
    g.resetHalt('alice');
    g.recordRealisedPnl(-900);
    expect(g.halted).toBe(false);
    clock.advance(DAY);
    g.recordRealisedPnl(-900);
    expect(g.halted).toBe(false);
    g.recordRealisedPnl(-100);
    expect(g.halted).toBe(true);
  });

  it('the kill switch halts at once and also needs a person to clear it', () => {
    const { guard: g } = guard();
    g.halt('operator pressed stop');
    expect(g.haltState().reason).toBe('manual: operator pressed stop');
    expect(g.checkOpen(PAIR)).toBe('halted');
    g.resetHalt('carol');
    expect(g.halted).toBe(false);
  });
});

describe('RiskGuard limits', () => {
  it('refuses to start with a limit missing or not a positive number', () => {
    const { maxOrdersPerSecond: _dropped, ...partial } = TEST_LIMITS;
    expect(() => new RiskGuard({ limits: partial as typeof TEST_LIMITS })).toThrow(ConfigError);
    expect(riskLimitProblems({ ...TEST_LIMITS, maxNotionalUsd: -1, maxOpenTrades: 1.5 })).toEqual([
      'limits.maxNotionalUsd is -1; expected a number above 0',
      'limits.maxOpenTrades is 1.5; expected a whole number',
    ]);
    expect(riskLimitProblems({ ...TEST_LIMITS, maxPositionPerAsset: { BTC: 1 } }, ['BTC', 'ETH'])).toEqual([
      'limits.maxPositionPerAsset.ETH is not set: add a cap for ETH (base units), or make maxPositionPerAsset one number for every asset',
    ]);
  });
});

describe('RiskGuard inside the engine', () => {
  it('scales into a premium only up to the open-trade and position caps, counting refusals as skips', () => {
    const { engine, clock, pushAll, riskGuard } = createHarness({
      limits: { ...TEST_LIMITS, maxPositionPerAsset: 0.03, maxOpenTrades: 2 },
    });
    for (let i = 0; i < 4; i++) {
      pushAll(WIDE);
      clock.advance(20);
    }
    expect(engine.summary().trades.open).toBe(2);
    expect(engine.summary().skipReasons['risk_refused:max_open_trades']).toBe(2);
    expect(riskGuard.refusals()).toEqual({ max_open_trades: 2 });
  });

  it('refuses a pair above the notional cap', () => {
    const { engine, pushAll, broker } = createHarness({ limits: { ...TEST_LIMITS, maxNotionalUsd: 500 } });
    expect(pushAll(WIDE).reason).toBe('risk_refused:max_notional');
    expect(broker.stats().submitted).toBe(0);
    expect(engine.summary().guardRefusals).toEqual({ max_notional: 1 });
  });

  it('halts after a losing close past the daily limit; open pairs still close, none opens until reset', () => {
    const { engine, clock, pushAll, riskGuard } = createHarness({
      limits: { ...TEST_LIMITS, dailyLossLimitUsd: 1, maxPositionPerAsset: 0.02 },
    });
    pushAll(WIDE);
    clock.advance(20);
    // The premium widens further before reverting at max hold: the pair loses.
    clock.advance(60_000);
    pushAll({ krw: 145_600_000, usdt: 100_000 });
    clock.advance(20);
    const summary = engine.summary();
    expect(summary.trades.closed).toBe(1);
    expect(summary.pnl.realisedUsd).toBeLessThan(-1);
    expect(summary.halt.halted).toBe(true);
    expect(pushAll(WIDE).reason).toBe('risk_refused:halted');
    clock.advance(2 * DAY);
    expect(pushAll(WIDE).reason).toBe('risk_refused:halted');
    riskGuard.resetHalt('dave');
    expect(pushAll(WIDE).kind).toBe('open');
    expect(pushAll(PARITY).kind).toBe('wait');
  });
});
