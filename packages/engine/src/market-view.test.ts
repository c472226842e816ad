import { describe, expect, it } from 'vitest';
import { MarketView } from './market-view.js';
import { flatBook } from './test-support/books.js';

describe('MarketView', () => {
  it('keeps the latest snapshot of tracked markets only, ignoring ones that arrived earlier', () => {
    const view = new MarketView();
    view.track('binance', 'BTC/USDT');
    expect(view.updateSnapshot(flatBook('binance', 'ETH/USDT', 3_000, 10))).toBe(false);
    const newer = flatBook('binance', 'BTC/USDT', 100_000, 20);
    expect(view.updateSnapshot(newer)).toBe(true);
    expect(view.updateSnapshot(flatBook('binance', 'BTC/USDT', 99_000, 19))).toBe(false);
    expect(view.bookSource('binance', 'BTC/USDT')).toBe(newer);
    expect(view.bookSource('binance', 'ETH/USDT')).toBeUndefined();
  });

  it('records states from a provider health report, per tracked market', () => {
    const view = new MarketView();
    const slot = view.track('upbit', 'BTC/KRW');
    expect(view.updateState('upbit', 'XRP/KRW', 'live')).toBe(false);
    view.updateState('upbit', 'BTC/KRW', 'resyncing', 'gap expected 5 got 7');
    expect(slot.state).toBe('resyncing');
    expect(slot.stateReason).toBe('gap expected 5 got 7');
    expect(view.track('upbit', 'BTC/KRW')).toBe(slot);
  });
});
