import { ManualClock } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli-run.js';
import { resolveConfig } from '../src/config.js';
import { isListedOn, resolveAssets } from '../src/model/assets.js';
import { Market } from '../src/model/market.js';
import { FULL_UNIVERSE, fullUniverse, RATE_TIERS } from '../src/model/universe.js';

function market(assets: ReturnType<typeof resolveAssets>, clock = new ManualClock()): Market {
  return new Market({
    seed: 3,
    assets,
    binanceUpdatesPerSecond: 10,
    binanceDepth: 200,
    upbitUpdatesPerSecond: 10,
    okxDepth: 100,
    sendTimeCapacity: 0,
    clock,
  });
}

describe('the full universe', () => {
  const universe = fullUniverse(3);

  it('lists about 250 Upbit KRW, 400 Binance and 250 OKX USDT markets', () => {
    const upbit = universe.filter((asset) => isListedOn(asset, 'upbit'));
    const binance = universe.filter((asset) => isListedOn(asset, 'binance'));
    const okx = universe.filter((asset) => isListedOn(asset, 'okx'));
    expect(upbit.length + 1).toBe(250); // + KRW-USDT
    expect(binance).toHaveLength(400);
    expect(okx).toHaveLength(FULL_UNIVERSE.okx);
    expect(universe.filter((a) => isListedOn(a, 'upbit') && isListedOn(a, 'binance'))).toHaveLength(
      FULL_UNIVERSE.both,
    );
    expect(new Set(universe.map((asset) => asset.base)).size).toBe(universe.length);
    expect(() => resolveAssets(universe)).not.toThrow();
  });

  it('has a few busy books, a middle tier and a long quiet tail', () => {
    const rates = universe.map((asset) => asset.updatesPerSecond?.binance ?? 10);
    const busy = rates.filter((rate) => rate >= RATE_TIERS.busy.minRate);
    const quiet = rates.filter((rate) => rate <= RATE_TIERS.quiet.maxRate);
    expect(busy).toHaveLength(RATE_TIERS.busy.count);
    expect(quiet.length).toBeGreaterThan(universe.length / 2);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(RATE_TIERS.quiet.minRate * 0.99);
  });

  it('is deterministic per seed, with names shared by every seed', () => {
    expect(fullUniverse(3)).toEqual(universe);
    const other = fullUniverse(4);
    expect(other.map((asset) => asset.base)).toEqual(universe.map((asset) => asset.base));
    expect(other.map((asset) => asset.usdPrice)).not.toEqual(universe.map((asset) => asset.usdPrice));
  });

  it('keeps the named assets and their books exactly as in the default universe', () => {
    expect(universe.slice(0, 5).map((asset) => asset.base)).toEqual(['BTC', 'ETH', 'XRP', 'SOL', 'DOGE']);
    const small = market(resolveAssets(['BTC', 'ETH', 'XRP']));
    const full = market(resolveAssets(universe));
    small.step(50);
    full.step(50);
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'XRPUSDT']) {
      expect(full.binanceBook(symbol)).toEqual(small.binanceBook(symbol));
    }
    for (const code of ['KRW-BTC', 'KRW-USDT']) expect(full.upbitBook(code)).toEqual(small.upbitBook(code));
    expect(full.okxBook('ETH-USDT')).toEqual(small.okxBook('ETH-USDT'));
  });

  it('updates each book at its own rate: quiet books rarely, busy ones every tick', () => {
    const full = market(resolveAssets(universe));
    const quiet = universe.find((asset) => (asset.updatesPerSecond?.binance ?? 10) < 0.05)!;
    const busy = universe.find((asset) => asset.updatesPerSecond?.binance === 10)!;
    const quietBefore = full.binanceBook(`${quiet.base}USDT`).lastUpdateId;
    const busyBefore = full.binanceBook(`${busy.base}USDT`).lastUpdateId;
    const updates = new Map<string, number>();
    full.onBinance((book) => updates.set(book.symbol, (updates.get(book.symbol) ?? 0) + 1));
    full.step(100); // 10 s
    expect(updates.get(`${busy.base}USDT`)).toBeGreaterThanOrEqual(90);
    expect(updates.get(`${quiet.base}USDT`) ?? 0).toBeLessThanOrEqual(1);
    expect(full.binanceBook(`${busy.base}USDT`).lastUpdateId).toBeGreaterThan(busyBefore);
    expect(full.binanceBook(`${quiet.base}USDT`).lastUpdateId).toBeGreaterThanOrEqual(quietBefore);
  });

  it('lists an asset only where it is listed', () => {
    const full = market(resolveAssets(universe));
    const upbitOnly = universe.find((asset) => !isListedOn(asset, 'binance'))!;
    expect(full.upbitCodes).toContain(`KRW-${upbitOnly.base}`);
    expect(full.binanceSymbols).not.toContain(`${upbitOnly.base}USDT`);
    expect(full.marketInfo().filter((info) => info.exchange === 'binance')).toHaveLength(400);
  });

  it("is chosen with universe: 'full', which excludes assets", () => {
    expect(resolveConfig({ universe: 'full', seed: 3 }).assets).toEqual(universe);
    expect(() => resolveConfig({ universe: 'full', assets: ['BTC'] })).toThrow(/leave assets out/);
    expect(() => resolveConfig({ universe: 'huge' as 'full' })).toThrow(/universe/);
    expect(parseCli(['--universe', 'full']).options.universe).toBe('full');
    expect(() => parseCli(['--universe', 'huge'])).toThrow(/--universe/);
  });
});
