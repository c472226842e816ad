import { ManualClock, upbitKrwTickSize } from '@arbitrage/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveAssets } from '../src/model/assets.js';
import { BookSide } from '../src/model/book-side.js';
import { formatPadded, formatScaled, formatTrimmed } from '../src/model/decimal.js';
import { Market, type MarketOptions } from '../src/model/market.js';
import { PriceModel } from '../src/model/price-model.js';
import { simulator } from './helpers.js';

function market(overrides: Partial<MarketOptions> = {}): Market {
  return new Market({
    seed: 7,
    assets: resolveAssets(undefined),
    binanceUpdatesPerSecond: 10,
    binanceDepth: 1000,
    upbitUpdatesPerSecond: 10,
    sendTimeCapacity: 0,
    clock: new ManualClock(),
    ...overrides,
  });
}

describe('decimal formatting', () => {
  it('writes scaled integers exactly', () => {
    expect(formatScaled(1234, 2)).toBe('12.34');
    expect(formatScaled(5, 3)).toBe('0.005');
    expect(formatScaled(0, 2)).toBe('0.00');
    expect(formatScaled(42, 0)).toBe('42');
    expect(formatPadded(10000001, 2, 8)).toBe('100000.01000000');
    expect(formatPadded(7, 0, 8)).toBe('7.00000000');
    expect(formatTrimmed(120000, 8)).toBe('0.0012');
    expect(formatTrimmed(140000000, 0)).toBe('140000000');
    expect(formatTrimmed(15, 1)).toBe('1.5');
    expect(formatTrimmed(100, 8)).toBe('0.000001');
  });

  it('round-trips through Number like JSON.parse does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 50 }), fc.integer({ min: 0, max: 8 }), (value, decimals) => {
        const text = formatScaled(value, decimals);
        expect(Number(text)).toBe(JSON.parse(formatTrimmed(value, decimals)));
        expect(Number(text)).toBeCloseTo(value / 10 ** decimals, 6);
      }),
    );
  });
});

describe('Upbit KRW tick table', () => {
  it('follows the 2025-07-31 table, with 0.5 KRW for USDT between 1,000 and 10,000', () => {
    expect(upbitKrwTickSize(140_000_000, 'BTC')).toBe(1000);
    expect(upbitKrwTickSize(1_500_000, 'X')).toBe(1000);
    expect(upbitKrwTickSize(700_000, 'X')).toBe(500);
    expect(upbitKrwTickSize(200_000, 'X')).toBe(100);
    expect(upbitKrwTickSize(60_000, 'X')).toBe(50);
    expect(upbitKrwTickSize(20_000, 'X')).toBe(10);
    expect(upbitKrwTickSize(7_000, 'X')).toBe(5);
    expect(upbitKrwTickSize(3_500, 'XRP')).toBe(1);
    expect(upbitKrwTickSize(500, 'X')).toBe(1);
    expect(upbitKrwTickSize(1_400, 'USDT')).toBe(0.5);
  });
});

describe('BookSide', () => {
  it('keeps levels ordered best first and matches a naive model', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 5 })), {
          maxLength: 200,
        }),
        (isBid, operations) => {
          const side = new BookSide(isBid);
          const naive = new Map<number, number>();
          for (const [key, lots] of operations) {
            side.set(key, lots);
            if (lots === 0) naive.delete(key);
            else naive.set(key, lots);
          }
          const expected = [...naive.entries()].sort((a, b) => (isBid ? b[0] - a[0] : a[0] - b[0]));
          expect(side.size).toBe(expected.length);
          expected.forEach(([key, lots], rank) => {
            expect(side.key(rank)).toBe(key);
            expect(side.lots(rank)).toBe(lots);
            expect(side.search(key)).toBe(rank);
            expect(side.get(key)).toBe(lots);
          });
        },
      ),
    );
  });
});

describe('market model', () => {
  it('keeps every book sorted, uncrossed, on its tick grid and near its configured depth', () => {
    const m = market();
    m.step(600);
    for (const symbol of m.binanceSymbols) {
      const book = m.binanceBook(symbol);
      expect(book.bids.length).toBeGreaterThan(950);
      expect(book.bids.length).toBeLessThan(1050);
      expect(book.asks.length).toBeGreaterThan(950);
      expect(book.bids[0]![0]).toBeLessThan(book.asks[0]![0]);
      for (let i = 1; i < book.bids.length; i++) expect(book.bids[i]![0]).toBeLessThan(book.bids[i - 1]![0]);
      for (let i = 1; i < book.asks.length; i++)
        expect(book.asks[i]![0]).toBeGreaterThan(book.asks[i - 1]![0]);
      for (const [, size] of [...book.bids, ...book.asks]) expect(size).toBeGreaterThan(0);
    }
    for (const code of m.upbitCodes) {
      const book = m.upbitBook(code);
      expect(book.bids).toHaveLength(30);
      expect(book.asks).toHaveLength(30);
      expect(book.bids[0]![0]).toBeLessThan(book.asks[0]![0]);
      const base = code.slice(4);
      for (const [price] of [...book.bids, ...book.asks]) {
        const tick = upbitKrwTickSize(price, base);
        expect(Math.abs(price / tick - Math.round(price / tick))).toBeLessThan(1e-6);
      }
      // 30 units span a fraction of a percent to a few percent, like a real KRW book.
      expect(book.asks[29]![0] / book.bids[29]![0] - 1).toBeLessThan(0.05);
    }
  });

  it('writes Binance prices and sizes on the exchangeInfo tick and lot grid', () => {
    const m = market();
    m.step(50);
    const btc = m.binanceBook('BTCUSDT', 200);
    for (const [price, size] of [...btc.bids, ...btc.asks]) {
      expect(Math.abs(price * 100 - Math.round(price * 100))).toBeLessThan(1e-6);
      expect(Math.abs(size * 1e5 - Math.round(size * 1e5))).toBeLessThan(1e-6);
    }
    const xrp = m.binanceBook('XRPUSDT', 200);
    for (const [price, size] of xrp.bids) {
      expect(Math.abs(price * 1e4 - Math.round(price * 1e4))).toBeLessThan(1e-6);
      expect(Math.abs(size * 10 - Math.round(size * 10))).toBeLessThan(1e-6);
    }
  });

  it('produces diff events touching about ten levels with contiguous update ids', () => {
    const m = market();
    let events = 0;
    let levels = 0;
    let previous: number | undefined;
    m.onBinance((book, step) => {
      if (book.symbol !== 'BTCUSDT') return;
      if (previous !== undefined) expect(step.firstId).toBe(previous + 1);
      expect(step.lastId).toBeGreaterThanOrEqual(step.firstId);
      previous = step.lastId;
      events++;
      levels += step.changes.size;
    });
    m.step(500);
    expect(events).toBe(500);
    expect(levels / events).toBeGreaterThan(5);
    expect(levels / events).toBeLessThan(20);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = market();
    const b = market();
    const c = market({ seed: 8 });
    for (const m of [a, b, c]) m.step(300);
    expect(a.binanceBook('ETHUSDT')).toEqual(b.binanceBook('ETHUSDT'));
    expect(a.upbitBook('KRW-XRP')).toEqual(b.upbitBook('KRW-XRP'));
    expect(a.fairValues()).toEqual(b.fairValues());
    expect(c.binanceBook('ETHUSDT').bids).not.toEqual(a.binanceBook('ETHUSDT').bids);
  });

  it('keeps each book independent of how the others were stepped', () => {
    const a = market();
    const b = market();
    a.stepUpbit(40);
    a.stepBinance(25, ['BTCUSDT']);
    b.stepBinance(25, ['BTCUSDT']);
    expect(a.binanceBook('BTCUSDT')).toEqual(b.binanceBook('BTCUSDT'));
  });

  it('quotes Upbit at usd x usdKrw x (1 + premium) and Binance at the USD mid', () => {
    const m = market();
    m.step(100);
    const fair = m.fairValues();
    const btc = fair.assets.BTC!;
    expect(btc.upbitMid / (btc.binanceMid * fair.usdKrw) - 1).toBeCloseTo(btc.premium, 10);
    const binanceMid = (m.binanceBook('BTCUSDT').bids[0]![0] + m.binanceBook('BTCUSDT').asks[0]![0]) / 2;
    expect(Math.abs(binanceMid / btc.binanceMid - 1)).toBeLessThan(0.001);
    const upbit = m.upbitBook('KRW-BTC');
    expect(Math.abs((upbit.bids[0]![0] + upbit.asks[0]![0]) / 2 / btc.upbitMid - 1)).toBeLessThan(0.001);
  });

  it('moves the premium around its mean, with spikes, so it is sometimes attractive and sometimes not', () => {
    const model = new PriceModel({ seed: 3, assets: resolveAssets(['BTC']) });
    const samples: number[] = [];
    for (let second = 0; second < 12 * 3600; second++) {
      model.advance(1000);
      samples.push(model.premium('BTC'));
    }
    const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
    expect(mean).toBeGreaterThan(0.014);
    expect(mean).toBeLessThan(0.026);
    expect(samples.filter((value) => value > 0.03).length).toBeGreaterThan(100);
    expect(samples.filter((value) => value < 0.015).length).toBeGreaterThan(100);
    expect(Math.max(...samples)).toBeGreaterThan(0.035);
  });

  it('serves identical books from two simulators with the same seed', async () => {
    const first = await simulator({ seed: 42 });
    const second = await simulator({ seed: 42 });
    first.market.step(40);
    second.market.step(40);
    const [a, b] = await Promise.all(
      [first, second].map(async (sim) =>
        (await fetch(`${sim.binance.restUrl}/api/v3/depth?symbol=XRPUSDT&limit=50`)).text(),
      ),
    );
    expect(a).toBe(b);
    const upbit = await Promise.all(
      [first, second].map(async (sim) => {
        const body = (await (
          await fetch(`${sim.upbit.restUrl}/v1/orderbook?markets=KRW-ETH`)
        ).json()) as Array<{ orderbook_units: unknown }>;
        return body[0]!.orderbook_units;
      }),
    );
    expect(upbit[0]).toEqual(upbit[1]);
  });
});
