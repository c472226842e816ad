import { describe, expect, it } from 'vitest';
import {
  computePremium,
  exitPremium,
  MutablePremiumQuote,
  type PremiumFees,
  quotePremium,
} from './premium.js';
import { book } from './test-support/books.js';

const FEES: PremiumFees = { krw: 0.0005, usdt: 0.001, conversion: 0 };
const T = 1_700_000_000_000;

// The README's worked example: VWAP across levels on all three books.
const upbit = book(
  'upbit',
  'BTC/KRW',
  [
    [150_000_000, 0.004],
    [149_900_000, 0.5],
  ],
  [[150_100_000, 0.5]],
  T,
);
const binance = book(
  'binance',
  'BTC/USDT',
  [[99_990, 1]],
  [
    [100_000, 0.006],
    [100_010, 1],
  ],
  T,
);
const usdtKrw = book(
  'upbit',
  'USDT/KRW',
  [[1_449, 100_000]],
  [
    [1_450, 500],
    [1_451, 100_000],
  ],
  T,
);

describe('computePremium, KRW-USDT book conversion', () => {
  const quote = quotePremium(upbit, binance, usdtKrw, 0.01, FEES);

  it('sells on Upbit at the bid VWAP and buys on Binance at the ask VWAP, across levels', () => {
    // 0.004 × 150,000,000 + 0.006 × 149,900,000 = 1,499,400 KRW for 0.01 BTC
    expect(quote.sellKrw.krwPrice).toBeCloseTo(149_940_000, 4);
    // 0.006 × 100,000 + 0.004 × 100,010 = 1,000.04 USDT for 0.01 BTC
    expect(quote.sellKrw.usdtPrice).toBeCloseTo(100_004, 6);
  });

  it('buys back the USDT spent (fee included) at the USDT/KRW ask VWAP', () => {
    // 0.01 × 100,004 × 1.001 = 1,001.04004 USDT; 500 at 1,450 and 501.04004 at 1,451
    expect(quote.sellKrw.usdtAmount).toBeCloseTo(1_001.04004, 8);
    expect(quote.sellKrw.usdtKrw).toBeCloseTo((500 * 1_450 + 501.04004 * 1_451) / 1_001.04004, 8);
  });

  it('nets both taker fees: 1,498,650.3 KRW in for 1,452,009.09804 KRW out', () => {
    const krwIn = 1_499_400 * (1 - 0.0005);
    const krwOut = 500 * 1_450 + 501.04004 * 1_451;
    expect(krwIn).toBeCloseTo(1_498_650.3, 6);
    expect(krwOut).toBeCloseTo(1_452_009.09804, 6);
    expect(quote.sellKrw.netPremium).toBeCloseTo(krwIn / krwOut - 1, 12);
    expect(quote.sellKrw.netPremium).toBeCloseTo(0.0321218, 6);
    // gross: 149,940,000 / (100,004 × 1,450.5005…) − 1
    expect(quote.sellKrw.grossPremium).toBeCloseTo(0.0336708, 6);
    expect(quote.sellKrw.netPremium).toBeLessThan(quote.sellKrw.grossPremium);
  });

  it('prices the reverse direction on the other sides: Upbit ask, Binance bid, USDT/KRW bid', () => {
    expect(quote.buyKrw.krwPrice).toBe(150_100_000);
    expect(quote.buyKrw.usdtPrice).toBe(99_990);
    // 0.01 × 99,990 × 0.999 = 998.9001 USDT received, sold at 1,449
    expect(quote.buyKrw.usdtAmount).toBeCloseTo(998.9001, 8);
    expect(quote.buyKrw.usdtKrw).toBeCloseTo(1_449, 9);
    const krwIn = 998.9001 * 1_449;
    const krwOut = 0.01 * 150_100_000 * 1.0005;
    expect(quote.buyKrw.netPremium).toBeCloseTo(krwIn / krwOut - 1, 12);
    expect(quote.buyKrw.netPremium).toBeCloseTo(-0.0361873, 6);
  });

  it('reports the exit premium of a pair as the reverse direction seen from the other side', () => {
    expect(exitPremium(quote, 'sell_krw_buy_usdt')).toBeCloseTo(1 / (1 + quote.buyKrw.netPremium) - 1, 12);
    expect(exitPremium(quote, 'sell_krw_buy_usdt')).toBeCloseTo(0.037546, 5);
    expect(exitPremium(quote, 'buy_krw_sell_usdt')).toBeCloseTo(1 / (1 + quote.sellKrw.netPremium) - 1, 12);
  });

  it('keeps the mid premium as the fee-free monitoring number', () => {
    const expected = 150_050_000 / (99_995 * 1_449.5) - 1;
    expect(quote.midPremium).toBeCloseTo(expected, 12);
    expect(quote.ok).toBe(true);
    expect(quote.conversion).toBe('usdt-book');
  });

  it('charges the conversion-leg fee only when configured', () => {
    const withFee = quotePremium(upbit, binance, usdtKrw, 0.01, { ...FEES, conversion: 0.0005 });
    expect(withFee.sellKrw.netPremium).toBeCloseTo(
      (1_499_400 * 0.9995) / ((500 * 1_450 + 501.04004 * 1_451) * 1.0005) - 1,
      12,
    );
    expect(withFee.buyKrw.netPremium).toBeCloseTo(
      (998.9001 * 1_449 * 0.9995) / (0.01 * 150_100_000 * 1.0005) - 1,
      12,
    );
  });
});

describe('computePremium, FX conversion', () => {
  it('uses the configured KRW per USDT both ways and no conversion fee', () => {
    const quote = quotePremium(upbit, binance, 1_400, 0.01, { ...FEES, conversion: 0.0005 });
    expect(quote.conversion).toBe('fx');
    expect(quote.sellKrw.usdtKrw).toBe(1_400);
    expect(quote.buyKrw.usdtKrw).toBe(1_400);
    // (1,499,400 × 0.9995) / (1,000.04 × 1.001 × 1,400) − 1
    expect(quote.sellKrw.netPremium).toBeCloseTo((1_499_400 * 0.9995) / (1_000.04 * 1.001 * 1_400) - 1, 12);
    expect(quote.sellKrw.netPremium).toBeCloseTo(0.0693523, 6);
    expect(quote.buyKrw.netPremium).toBeCloseTo((999.9 * 0.999 * 1_400) / (1_501_000 * 1.0005) - 1, 12);
    expect(quote.midPremium).toBeCloseTo(150_050_000 / (99_995 * 1_400) - 1, 12);
  });

  it('shows a reverse premium when the asset is dearer on Binance', () => {
    const cheapUpbit = book('upbit', 'BTC/KRW', [[139_000_000, 1]], [[139_100_000, 1]], T);
    const quote = quotePremium(cheapUpbit, binance, 1_450, 0.01, FEES);
    // sell 0.01 on Binance: 999.9 × 0.999 USDT × 1,450 KRW vs 1,391,000 × 1.0005 KRW
    expect(quote.buyKrw.netPremium).toBeCloseTo((999.9 * 0.999 * 1_450) / (1_391_000 * 1.0005) - 1, 12);
    expect(quote.buyKrw.netPremium).toBeGreaterThan(0.04);
    expect(quote.sellKrw.netPremium).toBeLessThan(0);
  });
});

describe('computePremium, depth and reuse', () => {
  it('is not ok (NaN premiums) when a side cannot fill the whole size', () => {
    const quote = quotePremium(upbit, binance, usdtKrw, 5, FEES);
    expect(quote.ok).toBe(false);
    expect(quote.sellKrw.netPremium).toBeNaN();
  });

  it('is not ok when the conversion book is too thin for the USDT amount', () => {
    const thin = book('upbit', 'USDT/KRW', [[1_449, 10]], [[1_450, 10]], T);
    expect(quotePremium(upbit, binance, thin, 0.01, FEES).ok).toBe(false);
  });

  it('is not ok on an empty side', () => {
    const empty = book('binance', 'BTC/USDT', [], [[100_000, 1]], T);
    expect(quotePremium(upbit, empty, usdtKrw, 0.01, FEES).ok).toBe(false);
  });

  it('overwrites the same quote object in place', () => {
    const out = new MutablePremiumQuote();
    computePremium(upbit, binance, usdtKrw, 0.01, FEES, out);
    const first = out.sellKrw;
    computePremium(upbit, binance, 1_400, 0.01, FEES, out);
    expect(out.sellKrw).toBe(first);
    expect(out.sellKrw.usdtKrw).toBe(1_400);
  });
});
