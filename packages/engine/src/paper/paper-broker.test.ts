import { ManualClock, type OrderBookSnapshot, type PriceLevel } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { book } from '../test-support/books.js';
import { testVenue } from '../test-support/venues.js';
import type { FillReport } from './orders.js';
import { PaperBroker, type PaperBrokerOptions } from './paper-broker.js';

/** Binance's BTC/USDT lot and minimum notional, Upbit's 5,000 KRW minimum order value. */
const VENUES = {
  binance: testVenue('USDT', 0.001, { 'BTC/USDT': { lotSize: 0.00001, minNotional: 5 } }),
  upbit: testVenue('KRW', 0.0005, { 'BTC/KRW': { minNotional: 5_000 } }),
};

function setup(options: Partial<PaperBrokerOptions> = {}) {
  const clock = new ManualClock();
  const books = new Map<string, OrderBookSnapshot>();
  const setBook = (exchange: string, symbol: string, bids: PriceLevel[], asks: PriceLevel[]) =>
    books.set(`${exchange}:${symbol}`, book(exchange, symbol, bids, asks, clock.now()));
  const broker = new PaperBroker({
    bookSource: (exchange, symbol) => books.get(`${exchange}:${symbol}`),
    venues: VENUES,
    latencyMs: 30,
    initialBalances: { binance: { USDT: 10_000, BTC: 0.02 }, upbit: { KRW: 10_000_000, BTC: 0.05 } },
    clock,
    ...options,
  });
  const fills: FillReport[] = [];
  broker.onFill((fill) => fills.push(fill));
  return { clock, books, setBook, broker, fills };
}

describe('PaperBroker fills against the book at fill time (fault scenario 36)', () => {
  it('walks the moved book, fills partially when depth is short, charges fees and records slippage', () => {
    const { clock, setBook, broker, fills } = setup();
    setBook(
      'binance',
      'BTC/USDT',
      [[99_990, 1]],
      [
        [100_000, 0.006],
        [100_010, 1],
      ],
    );
    const order = broker.submit({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: 0.01,
      decisionPrice: 100_004,
      tag: 'T1',
    });
    expect(order.status).toBe('active');
    expect(broker.activeOrderCount()).toBe(1);
    clock.advance(10);
    // The book moves during the latency: the decision-time levels are gone, less is offered, higher.
    setBook(
      'binance',
      'BTC/USDT',
      [[100_040, 1]],
      [
        [100_050, 0.003],
        [100_100, 0.002],
      ],
    );
    clock.advance(19);
    expect(fills).toHaveLength(0);
    clock.advance(1);

    expect(fills).toHaveLength(1);
    const fill = fills[0]!;
    expect(fill).toMatchObject({
      orderId: order.id,
      tag: 'T1',
      status: 'partial',
      shortfall: 'insufficient_depth',
      orderSize: 0.01,
      levels: 2,
      feeAsset: 'USDT',
      decisionPrice: 100_004,
    });
    expect(fill.filledSize).toBeCloseTo(0.005, 12);
    // 0.003 × 100,050 + 0.002 × 100,100 = 500.35 USDT; average 100,070
    expect(fill.notional).toBeCloseTo(500.35, 9);
    expect(fill.averagePrice).toBeCloseTo(100_070, 6);
    expect(fill.averagePrice).not.toBe(fill.decisionPrice);
    expect(fill.fee).toBeCloseTo(0.50035, 9);
    expect(fill.slippageBps).toBeCloseTo(((100_070 - 100_004) / 100_004) * 10_000, 6);
    expect(fill.slippageCost).toBeCloseTo(66 * 0.005, 9);
    expect(fill.filledAt - fill.submittedAt).toBe(30);
    expect(broker.balance('binance', 'BTC')).toBeCloseTo(0.025, 12);
    expect(broker.balance('binance', 'USDT')).toBeCloseTo(10_000 - 500.35 - 0.50035, 9);
    expect(broker.activeOrderCount()).toBe(0);
    expect(broker.stats()).toMatchObject({ submitted: 1, fills: { partial: 1 }, fees: { USDT: fill.fee } });
  });

  it('sells into the bids as they are at fill time, fee out of the KRW proceeds', () => {
    const { clock, setBook, broker, fills } = setup();
    setBook('upbit', 'BTC/KRW', [[150_000_000, 0.01]], [[150_100_000, 1]]);
    broker.submit({
      exchange: 'upbit',
      symbol: 'BTC/KRW',
      side: 'sell',
      size: 0.01,
      decisionPrice: 150_000_000,
    });
    setBook(
      'upbit',
      'BTC/KRW',
      [
        [149_800_000, 0.004],
        [149_700_000, 1],
      ],
      [[149_900_000, 1]],
    );
    clock.advance(30);
    const fill = fills[0]!;
    expect(fill.status).toBe('filled');
    expect(fill.shortfall).toBeUndefined();
    expect(fill.filledSize).toBe(0.01);
    // 0.004 × 149,800,000 + 0.006 × 149,700,000 = 1,497,400 KRW
    expect(fill.notional).toBeCloseTo(1_497_400, 4);
    expect(fill.fee).toBeCloseTo(748.7, 6);
    expect(fill.slippageBps).toBeCloseTo(((150_000_000 - 149_740_000) / 150_000_000) * 10_000, 6);
    expect(broker.balance('upbit', 'KRW')).toBeCloseTo(10_000_000 + 1_497_400 - 748.7, 4);
    expect(broker.balance('upbit', 'BTC')).toBeCloseTo(0.04, 12);
  });

  it('never fills the whole size at the decision price once the book has moved away', () => {
    const { clock, setBook, broker, fills } = setup();
    setBook('binance', 'BTC/USDT', [[99_990, 1]], [[100_000, 1]]);
    broker.submit({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: 0.01,
      decisionPrice: 100_000,
    });
    setBook('binance', 'BTC/USDT', [[101_000, 1]], [[101_010, 1]]);
    clock.advance(30);
    expect(fills[0]!.averagePrice).toBe(101_010);
    expect(fills[0]!.slippageCost).toBeCloseTo(1_010 * 0.01, 9);
    expect(fills[0]!.slippageBps).toBeCloseTo(101, 9);
  });

  it('rounds to the lot size and enforces the minimum notional, at submission and at fill time', () => {
    const { clock, setBook, broker, fills } = setup();
    setBook('binance', 'BTC/USDT', [[99_990, 1]], [[100_000, 1]]);
    const rounded = broker.submit({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: 0.0123456,
      decisionPrice: 100_000,
    });
    expect(rounded.size).toBe(0.01234);
    expect(rounded.requestedSize).toBe(0.0123456);
    const tooSmall = {
      exchange: 'binance',
      symbol: 'BTC/USDT',
      side: 'buy',
      decisionPrice: 100_000,
    } as const;
    expect(broker.submit({ ...tooSmall, size: 0.000004 }).rejectReason).toBe('below_lot_size');
    expect(broker.submit({ ...tooSmall, size: 0.00004 }).rejectReason).toBe('below_min_notional');
    clock.advance(30);
    expect(fills[0]!.filledSize).toBe(0.01234);

    // Accepted at 0.0001 BTC (10 USDT), but only 0.00004 BTC (4 USDT) is offered at fill time.
    broker.submit({ ...tooSmall, size: 0.0001 });
    setBook('binance', 'BTC/USDT', [[99_990, 1]], [[100_000, 0.00004]]);
    clock.advance(30);
    expect(fills[1]).toMatchObject({
      status: 'unfilled',
      shortfall: 'below_min_notional',
      filledSize: 0,
      fee: 0,
    });
    expect(broker.stats().rejected).toEqual({ below_lot_size: 1, below_min_notional: 1 });
  });

  it('never lets a balance go negative: rejected at submission, clipped at fill time', () => {
    const { clock, setBook, broker, fills } = setup();
    setBook('binance', 'BTC/USDT', [[99_990, 1]], [[100_000, 1]]);
    expect(
      broker.check({
        exchange: 'binance',
        symbol: 'BTC/USDT',
        side: 'sell',
        size: 0.03,
        decisionPrice: 99_990,
      }),
    ).toBe('insufficient_balance');
    // Two buys that are each affordable, but not together: the second fills what is left.
    const buy = { exchange: 'binance', symbol: 'BTC/USDT', side: 'buy', decisionPrice: 100_000 } as const;
    broker.submit({ ...buy, size: 0.06 });
    broker.submit({ ...buy, size: 0.06 });
    clock.advance(30);
    expect(fills[0]!.status).toBe('filled');
    expect(fills[1]).toMatchObject({ status: 'partial', shortfall: 'insufficient_balance' });
    expect(broker.balance('binance', 'USDT')).toBeGreaterThanOrEqual(0);
    expect(broker.balance('binance', 'USDT')).toBeLessThan(1);
  });

  it('reports no fill when the book is gone at fill time, and rejects orders it cannot price', () => {
    const { clock, books, setBook, broker, fills } = setup();
    setBook('upbit', 'BTC/KRW', [[150_000_000, 1]], [[150_100_000, 1]]);
    broker.submit({
      exchange: 'upbit',
      symbol: 'BTC/KRW',
      side: 'buy',
      size: 0.01,
      decisionPrice: 150_100_000,
    });
    books.clear();
    clock.advance(30);
    expect(fills[0]).toMatchObject({ status: 'unfilled', shortfall: 'no_book', bookReceivedAt: undefined });
    const base = { exchange: 'upbit', symbol: 'BTC/KRW', side: 'buy', size: 0.01, decisionPrice: 1 } as const;
    expect(broker.check({ ...base, size: Number.NaN })).toBe('invalid_size');
    expect(broker.check({ ...base, decisionPrice: 0 })).toBe('invalid_price');
    expect(broker.check({ ...base, exchange: 'bithumb' })).toBe('no_fee_schedule');
    expect(broker.check({ ...base, symbol: 'KRW-BTC' })).toBe('invalid_symbol');
  });

  it('uses per-exchange latency, and cancelAll reports cancellations and clears every timer', () => {
    const { clock, setBook, broker, fills } = setup({ latencyMs: { upbit: 10, binance: 80 } });
    setBook('upbit', 'BTC/KRW', [[150_000_000, 1]], [[150_100_000, 1]]);
    setBook('binance', 'BTC/USDT', [[99_990, 1]], [[100_000, 1]]);
    broker.submit({
      exchange: 'upbit',
      symbol: 'BTC/KRW',
      side: 'sell',
      size: 0.01,
      decisionPrice: 150_000_000,
    });
    const slow = broker.submit({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: 0.01,
      decisionPrice: 1e5,
    });
    expect(slow.fillDueAt - slow.submittedAt).toBe(80);
    clock.advance(10);
    expect(fills.map((f) => f.exchange)).toEqual(['upbit']);
    broker.cancelAll();
    expect(clock.pendingTimers).toBe(0);
    expect(fills[1]).toMatchObject({ status: 'cancelled', shortfall: 'cancelled', filledSize: 0 });
    expect(broker.activeOrderCount()).toBe(0);
    expect(broker.balance('binance', 'USDT')).toBe(10_000);
  });

  it('keeps fill flows that reconcile the balances even after the fill history is trimmed', () => {
    const { clock, setBook, broker } = setup({ maxFillHistory: 1 });
    setBook(
      'binance',
      'BTC/USDT',
      [[99_990, 1]],
      [
        [100_000, 0.004],
        [100_010, 1],
      ],
    );
    setBook('upbit', 'BTC/KRW', [[150_000_000, 1]], [[150_100_000, 1]]);
    broker.submit({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      side: 'buy',
      size: 0.01,
      decisionPrice: 100_000,
    });
    broker.submit({
      exchange: 'upbit',
      symbol: 'BTC/KRW',
      side: 'sell',
      size: 0.01,
      decisionPrice: 150_000_000,
    });
    clock.advance(30);
    broker.submit({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      side: 'sell',
      size: 0.005,
      decisionPrice: 99_990,
    });
    clock.advance(30);
    expect(broker.fills()).toHaveLength(1);
    const flows = broker.fillFlows();
    // Buy 0.01: 0.004 × 100 000 + 0.006 × 100 010 = 1 000.06 USDT + 0.1 % fee; sell 0.005 at 99 990 less 0.1 %.
    expect(flows.binance!.BTC).toBeCloseTo(0.005, 12);
    expect(flows.binance!.USDT).toBeCloseTo(-1_000.06 * 1.001 + 499.95 * 0.999, 9);
    expect(flows.upbit).toEqual({ BTC: -0.01, KRW: 1_500_000 * 0.9995 });
    const initial = broker.initialBalances();
    for (const [exchange, assets] of Object.entries(broker.balances())) {
      for (const [asset, amount] of Object.entries(assets)) {
        expect(amount).toBeCloseTo((initial[exchange]![asset] ?? 0) + (flows[exchange]![asset] ?? 0), 9);
      }
    }
  });

  it("charges the venue's taker fee unless an override is given for that exchange", () => {
    const { clock, setBook, broker, fills } = setup({ takerFees: { binance: 0.00075 } });
    setBook('binance', 'BTC/USDT', [[99_990, 1]], [[100_000, 1]]);
    setBook('upbit', 'BTC/KRW', [[150_000_000, 1]], [[150_100_000, 1]]);
    const order = { side: 'buy', size: 0.01, decisionPrice: 100_000 } as const;
    broker.submit({ ...order, exchange: 'binance', symbol: 'BTC/USDT' });
    broker.submit({ ...order, exchange: 'upbit', symbol: 'BTC/KRW', decisionPrice: 150_100_000 });
    clock.advance(30);
    expect(fills.map((fill) => [fill.exchange, fill.fee])).toEqual([
      ['binance', 1_000 * 0.00075],
      ['upbit', 1_501_000 * 0.0005],
    ]);
  });
});
