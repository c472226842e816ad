import { createHash } from 'node:crypto';
import { ManualClock } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { resolveAssets } from '../src/model/assets.js';
import { Market, type MarketOptions } from '../src/model/market.js';

function market(overrides: Partial<MarketOptions> = {}): Market {
  return new Market({
    seed: 7,
    assets: resolveAssets(['BTC', 'ETH']),
    binanceUpdatesPerSecond: 10,
    binanceDepth: 200,
    upbitUpdatesPerSecond: 10,
    sendTimeCapacity: 0,
    clock: new ManualClock(),
    ...overrides,
  });
}

describe('OKX in the market model', () => {
  it('quotes the USD mid with a small mean-reverting basis, so OKX is sometimes the cheaper USDT venue and sometimes not', () => {
    // One tick is 100 ms × 600 = 1 model minute: the basis (half-life of minutes) turns often.
    const m = market({ timeScale: 600 });
    let cheaper = 0;
    let dearer = 0;
    let maxBasis = 0;
    for (let i = 0; i < 600; i++) {
      m.step(1);
      const okxAsk = m.okxBook('BTC-USDT', 1).asks[0]![0];
      const binanceAsk = m.binanceBook('BTCUSDT', 1).asks[0]![0];
      if (okxAsk < binanceAsk) cheaper++;
      else if (okxAsk > binanceAsk) dearer++;
      const values = m.fairValues().assets.BTC!;
      expect(values.okxMid).toBeCloseTo(values.usd * (1 + values.okxBasis), 6);
      maxBasis = Math.max(maxBasis, Math.abs(values.okxBasis));
    }
    expect(cheaper).toBeGreaterThan(30);
    expect(dearer).toBeGreaterThan(30);
    expect(maxBasis).toBeGreaterThan(0.0003);
    expect(maxBasis).toBeLessThan(0.004);
  });

  it('keeps OKX books sorted, on their tick, near the true OKX mid, with seqIds that link', () => {
    const m = market();
    let seqId = m.okxBook('ETH-USDT').seqId;
    const steps: Array<{ prevSeqId: number; seqId: number }> = [];
    m.onOkx((book, step) => {
      if (book.instId === 'ETH-USDT') steps.push({ prevSeqId: step.prevSeqId, seqId: step.seqId });
    });
    m.step(200);
    for (const step of steps) {
      expect(step.prevSeqId).toBe(seqId);
      expect(step.seqId).toBeGreaterThanOrEqual(step.prevSeqId);
      seqId = step.seqId;
    }
    const book = m.okxBook('ETH-USDT');
    expect(book.seqId).toBe(seqId);
    expect(book.bids[0]![0]).toBeLessThan(book.asks[0]![0]);
    for (let i = 1; i < book.bids.length; i++) expect(book.bids[i]![0]).toBeLessThan(book.bids[i - 1]![0]);
    for (const [price] of book.asks.slice(0, 50))
      expect(Math.abs(price * 100 - Math.round(price * 100))).toBeLessThan(1e-6);
    const mid = (book.bids[0]![0] + book.asks[0]![0]) / 2;
    expect(Math.abs(mid / m.fairValues().assets.ETH!.okxMid - 1)).toBeLessThan(0.001);
    expect(
      m
        .marketInfo()
        .filter((info) => info.exchange === 'okx')
        .map((info) => info.nativeSymbol),
    ).toEqual(['BTC-USDT', 'ETH-USDT']);
  });

  it('changed no Binance or Upbit output: books and fair values hash as before OKX existed', () => {
    // Computed with the simulator of commit ccc4b04 (before OKX) and the same steps.
    const hash = createHash('sha256');
    for (const seed of [1, 7, 42]) {
      const m = market({
        seed,
        assets: resolveAssets(['BTC', 'ETH', 'XRP', 'SOL', 'DOGE']),
        binanceDepth: 1000,
      });
      for (let i = 0; i < 300; i++) {
        m.step(1);
        if (i % 50 !== 0) continue;
        for (const symbol of m.binanceSymbols) hash.update(JSON.stringify(m.binanceBook(symbol)));
        for (const code of m.upbitCodes) hash.update(JSON.stringify(m.upbitBook(code)));
        for (const a of Object.values(m.fairValues().assets))
          hash.update(JSON.stringify([a.usd, a.binanceMid, a.upbitMid, a.premium]));
      }
    }
    expect(hash.digest('hex')).toBe('dfc0bff7414f1d8d4a855498969a8c5fcd89583f04684b051b64f6a7631c66ca');
  });

  it('is deterministic per seed', () => {
    const a = market({ seed: 3 });
    const b = market({ seed: 3 });
    a.step(50);
    b.step(50);
    expect(a.okxBook('BTC-USDT')).toEqual(b.okxBook('BTC-USDT'));
    const c = market({ seed: 4 });
    c.step(50);
    expect(c.okxBook('BTC-USDT').seqId).not.toBe(a.okxBook('BTC-USDT').seqId);
  });
});
