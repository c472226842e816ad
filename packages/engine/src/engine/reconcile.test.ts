import type { PriceLevel } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import type { FillReport } from '../paper/orders.js';
import { createHarness, PARITY, TEST_ENGINE, TEST_LIMITS } from '../test-support/harness.js';

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function levels(best: number, step: number, sizes: readonly number[]): PriceLevel[] {
  return sizes.map((size, i) => [best + i * step, size] as const);
}

function balanceDeltas(fills: readonly FillReport[]): Record<string, Record<string, number>> {
  const deltas: Record<string, Record<string, number>> = {};
  const add = (exchange: string, asset: string, amount: number) => {
    deltas[exchange] ??= {};
    deltas[exchange][asset] = (deltas[exchange][asset] ?? 0) + amount;
  };
  for (const fill of fills) {
    if (fill.filledSize === 0) continue;
    const sign = fill.side === 'buy' ? 1 : -1;
    add(fill.exchange, fill.base, sign * fill.filledSize);
    add(fill.exchange, fill.quote, -sign * fill.notional - fill.fee);
  }
  return deltas;
}

describe('balances and PnL reconcile with fills and fees', () => {
  it('over many pairs on moving, thin, multi-level books', () => {
    const random = lcg(42);
    const { engine, broker, clock, push } = createHarness({
      limits: { ...TEST_LIMITS, maxPositionPerAsset: 0.05, maxOrdersPerSecond: 50 },
      engine: { ...TEST_ENGINE, exit: { ...TEST_ENGINE.exit, maxHoldingMs: 3_000 } },
    });
    for (let step = 0; step < 600; step++) {
      const premium = 0.025 * Math.sin(step / 15) + (random() - 0.5) * 0.004;
      const usdtKrw = 1_400 + (random() - 0.5) * 4;
      const binance = 100_000 * (1 + (random() - 0.5) * 0.002);
      const upbit = binance * usdtKrw * (1 + premium);
      const thin = () => [0.002 + random() * 0.01, 0.002 + random() * 0.01, 0.01 + random() * 0.02];
      push(
        'upbit',
        'USDT/KRW',
        levels(usdtKrw - 0.5, -0.5, [1e5, 1e5]),
        levels(usdtKrw + 0.5, 0.5, [1e5, 1e5]),
      );
      push('binance', 'BTC/USDT', levels(binance - 5, -5, thin()), levels(binance + 5, 5, thin()));
      push(
        'upbit',
        'BTC/KRW',
        levels(upbit * 0.9999, -upbit * 0.0001, thin()),
        levels(upbit * 1.0001, upbit * 0.0001, thin()),
      );
      clock.advance(10);
      // Half the time Binance moves while orders are in flight.
      if (random() < 0.5) {
        const moved = binance * (1 + (random() - 0.5) * 0.004);
        const thinner = () => [0.001 + random() * 0.003, 0.001 + random() * 0.003, 0.001 + random() * 0.003];
        push('binance', 'BTC/USDT', levels(moved - 5, -5, thinner()), levels(moved + 5, 5, thinner()));
      }
      clock.advance(40);
    }
    engine.stopOpening('end of test');
    for (let i = 0; i < 20 && engine.summary().trades.open > 0; i++) {
      clock.advance(50);
      push('upbit', 'USDT/KRW', [[1_399.5, 1e6]], [[1_400.5, 1e6]]);
      push('binance', 'BTC/USDT', [[PARITY.usdt - 5, 10]], [[PARITY.usdt + 5, 10]]);
      push('upbit', 'BTC/KRW', [[PARITY.krw - 10_000, 10]], [[PARITY.krw + 10_000, 10]]);
    }
    clock.advance(50);

    const summary = engine.summary();
    expect(summary.trades.opened).toBeGreaterThan(10);
    expect(summary.trades.closed).toBeGreaterThan(10);
    expect(summary.trades.open).toBe(0);
    expect(summary.activeOrders).toBe(0);
    expect(summary.orders.fills.partial).toBeGreaterThan(0);

    // Every balance moved by exactly what the fills and their fees say.
    const fills = broker.fills();
    const initial = broker.initialBalances();
    const deltas = balanceDeltas(fills);
    for (const [exchange, assets] of Object.entries(broker.balances())) {
      for (const [asset, amount] of Object.entries(assets)) {
        const expected = (initial[exchange]?.[asset] ?? 0) + (deltas[exchange]?.[asset] ?? 0);
        expect(amount, `${exchange} ${asset}`).toBeCloseTo(expected, 6);
      }
    }
    // Every pair closed flat, so the BTC held on each exchange is back where it started.
    expect(broker.balance('upbit', 'BTC')).toBeCloseTo(1, 9);
    expect(broker.balance('binance', 'BTC')).toBeCloseTo(1, 9);

    // Realised PnL is what each pair's fills and fees imply, valued at its closing USDT/KRW rate.
    let impliedKrw = 0;
    let impliedUsd = 0;
    for (const trade of engine.trades()) {
      if (trade.realised === undefined) continue;
      const own = fills.filter((fill) => fill.tag === trade.id);
      const krw = own.filter((f) => f.exchange === 'upbit').reduce((sum, f) => sum + flow(f), 0);
      const usdt = own.filter((f) => f.exchange === 'binance').reduce((sum, f) => sum + flow(f), 0);
      impliedKrw += krw + usdt * trade.realised.usdtKrw;
      impliedUsd += krw / trade.realised.usdtKrw + usdt;
    }
    expect(summary.pnl.realisedKrw).toBeCloseTo(impliedKrw, 4);
    expect(summary.pnl.realisedUsd).toBeCloseTo(impliedUsd, 6);
    expect(summary.pnl.unrealisedKrw).toBe(0);

    // And with the books flat, the whole balance change is the PnL (to within the rate's wobble).
    const krwChange = broker.balance('upbit', 'KRW') - 100_000_000;
    const usdtChange = broker.balance('binance', 'USDT') - 100_000;
    expect(krwChange + usdtChange * 1_400).toBeCloseTo(summary.pnl.realisedKrw, -3);
  });

  it('marks an open pair at the touch it would unwind against', () => {
    const { engine, clock, pushAll, broker } = createHarness();
    pushAll({ krw: 142_800_000, usdt: 100_000 });
    clock.advance(20);
    pushAll({ krw: 141_260_000, usdt: 100_000 });
    const [trade] = engine.trades();
    const pnl = engine.pnl();
    // Short 0.01 on Upbit bought back at the ask; long 0.01 on Binance sold at the bid.
    const upbitAsk = 141_260_000 * 1.0001;
    const binanceBid = 100_000 * 0.9999;
    const krw = trade!.krw.quoteFlow - 0.01 * upbitAsk;
    const usdt = trade!.usdt.quoteFlow + 0.01 * binanceBid;
    expect(pnl.usdtKrw).toBeCloseTo(1_400, 9);
    expect(pnl.unrealisedKrw).toBeCloseTo(krw + usdt * 1_400, 4);
    expect(pnl.unrealisedUsd).toBeCloseTo(krw / 1_400 + usdt, 6);
    expect(pnl.totalKrw).toBe(pnl.unrealisedKrw);
    expect(broker.activeOrderCount()).toBe(0);
  });
});

function flow(fill: FillReport): number {
  return (fill.side === 'sell' ? fill.notional : -fill.notional) - fill.fee;
}
