import type { InstrumentHealth, ProviderHealth } from '@arbitrage/core';
import { emptyInstrumentCounters } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { book, flatBook } from '../test-support/books.js';
import { createHarness, PARITY, TEST_LIMITS, WIDE } from '../test-support/harness.js';

function health(
  at: number,
  entries: Array<[exchange: string, symbol: string, state: InstrumentHealth['state']]>,
) {
  const instruments: Record<string, InstrumentHealth> = {};
  for (const [exchange, symbol, state] of entries) {
    instruments[`${exchange}:${symbol}`] = {
      instrument: `${exchange}:${symbol}` as InstrumentHealth['instrument'],
      exchange,
      symbol,
      nativeSymbol: symbol,
      source: 'ws',
      state,
      since: at,
      counters: emptyInstrumentCounters(),
    };
  }
  return { at, allLive: false, instruments } as ProviderHealth;
}

describe('never opens on a bad leg (fault scenario 35)', () => {
  it('freezes Upbit while Binance moves to fake a spread: no paper order, skipped leg_stale', () => {
    const { engine, broker, clock, push, pushAll } = createHarness();
    expect(pushAll(PARITY).reason).toBe('below_threshold');
    // Upbit goes quiet; Binance falls 3 % over the next second, which on a frozen Upbit book looks
    // like a 3 % kimchi premium.
    for (let step = 1; step <= 10; step++) {
      clock.advance(100);
      const binance = 100_000 * (1 - 0.003 * step);
      push('upbit', 'USDT/KRW', [[1_399.9, 1e6]], [[1_400.1, 1e6]]);
      const decision = push('binance', 'BTC/USDT', [[binance - 5, 10]], [[binance + 5, 10]]);
      if (step >= 3) {
        expect(decision?.kind).toBe('skip');
        expect(decision?.reason).toBe('leg_stale');
        expect(decision?.leg).toMatchObject({ exchange: 'upbit', symbol: 'BTC/KRW' });
      }
    }
    expect(broker.stats().submitted).toBe(0);
    expect(broker.activeOrderCount()).toBe(0);
    const summary = engine.summary();
    expect(summary.trades.opened).toBe(0);
    expect(summary.skipReasons.leg_stale).toBe(16);
    expect(summary.guardRefusals.stale_book).toBe(summary.skipReasons.leg_stale);
    // The fake spread is real on the books held: a fresh Upbit book at the old price would trade.
    expect(push('upbit', 'BTC/KRW', [[139_990_000, 1]], [[140_010_000, 1]])?.kind).toBe('open');
  });

  it('judges freshness by the clock and receivedAt, at the RiskGuard limit', () => {
    const { clock, pushAll, engine, riskGuard } = createHarness();
    pushAll(PARITY);
    clock.advance(TEST_LIMITS.maxBookAgeMs);
    expect(engine.evaluate('BTC').reason).toBe('below_threshold');
    const quotedAt = clock.now();
    clock.advance(1);
    const decision = engine.evaluate('BTC');
    expect(decision.reason).toBe('leg_stale');
    expect(riskGuard.refusals()).toEqual({ stale_book: 1 });
    // The quote kept from the last good evaluation is flagged as not current.
    expect(decision.premium.ok).toBe(false);
    expect(engine.summary().premiums.BTC!['upbit-binance']).toMatchObject({ current: false, at: quotedAt });
  });

  it('skips a leg the provider reports stale, resyncing, down or failed, even with a fresh-looking book', () => {
    const cases = [
      ['stale', 'leg_stale'],
      ['resyncing', 'leg_resyncing'],
      ['down', 'leg_down'],
      ['failed', 'leg_failed'],
      ['connecting', 'leg_missing'],
    ] as const;
    for (const [state, reason] of cases) {
      const { engine, broker, clock, pushAll } = createHarness();
      engine.updateHealth(
        health(clock.now(), [
          ['upbit', 'BTC/KRW', 'live'],
          ['binance', 'BTC/USDT', state],
          ['upbit', 'USDT/KRW', 'live'],
        ]),
      );
      const decision = pushAll(WIDE);
      expect(decision.reason, state).toBe(reason);
      expect(decision.leg).toMatchObject({ exchange: 'binance', symbol: 'BTC/USDT' });
      expect(broker.stats().submitted).toBe(0);
      expect(engine.summary().skipReasons[reason]).toBe(1);
      // When the provider says live again, the same books trade.
      engine.updateHealth(health(clock.now(), [['binance', 'BTC/USDT', 'live']]));
      expect(engine.evaluate('BTC').kind).toBe('open');
    }
  });

  it('skips a crossed leg, including the USDT/KRW conversion book', () => {
    const { engine, broker, clock, market } = createHarness();
    const now = clock.now();
    market.updateSnapshot(flatBook('binance', 'BTC/USDT', 100_000, now));
    market.updateSnapshot(book('upbit', 'USDT/KRW', [[1_401, 1e6]], [[1_400, 1e6]], now));
    engine.onSnapshot(flatBook('upbit', 'BTC/KRW', 142_800_000, now));
    expect(engine.lastDecision('BTC')?.reason).toBe('leg_crossed');
    expect(engine.lastDecision('BTC')?.leg).toMatchObject({ symbol: 'USDT/KRW' });
    engine.onSnapshot(book('upbit', 'BTC/KRW', [[142_900_000, 1]], [[142_800_000, 1]], now));
    expect(engine.lastDecision('BTC')?.leg).toMatchObject({ symbol: 'BTC/KRW' });
    expect(engine.summary().skipReasons.leg_crossed).toBe(2);
    expect(broker.stats().submitted).toBe(0);
  });

  it('skips while a leg is missing, and counts thin books as insufficient_depth', () => {
    const { engine, clock, push } = createHarness();
    expect(engine.onSnapshot(flatBook('upbit', 'BTC/KRW', 142_800_000, clock.now()))).toBe(1);
    expect(engine.lastDecision('BTC')?.reason).toBe('leg_missing');
    expect(engine.lastDecision('BTC')?.leg).toMatchObject({ exchange: 'binance' });
    push('binance', 'BTC/USDT', [[99_990, 1]], [[100_010, 1]]);
    expect(engine.lastDecision('BTC')?.leg).toMatchObject({ symbol: 'USDT/KRW' });
    push('upbit', 'USDT/KRW', [[1_399, 1e6]], [[1_401, 1e6]]);
    expect(engine.lastDecision('BTC')?.kind).toBe('open');

    const thin = createHarness();
    thin.push('upbit', 'USDT/KRW', [[1_399, 1e6]], [[1_401, 1e6]]);
    thin.push('binance', 'BTC/USDT', [[99_990, 0.001]], [[100_010, 0.001]]);
    expect(thin.push('upbit', 'BTC/KRW', [[142_800_000, 1]], [[142_900_000, 1]])?.reason).toBe(
      'insufficient_depth',
    );
    expect(engine.summary().skipReasons).toMatchObject({ leg_missing: 2 });
  });

  it('defers closing an open pair while a leg is stale, and closes once it is fresh again', () => {
    const { engine, clock, pushAll, push } = createHarness();
    pushAll(WIDE);
    clock.advance(20);
    clock.advance(500);
    // Only Binance and USDT/KRW update: the premium looks reverted but Upbit is stale.
    push('upbit', 'USDT/KRW', [[1_399.9, 1e6]], [[1_400.1, 1e6]]);
    expect(push('binance', 'BTC/USDT', [[101_990, 10]], [[102_010, 10]])?.reason).toBe('leg_stale');
    expect(engine.trades()[0]?.state).toBe('open');
    expect(pushAll(PARITY).kind).toBe('close');
  });
});
