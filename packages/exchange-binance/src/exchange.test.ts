import { once } from 'node:events';
import { UnknownSymbolError } from '@arbitrage/core';
import { MARKETS_KEPT_WARNING } from '@arbitrage/exchange-kit';
import { startSimulator } from '@arbitrage/simulator';
import { describe, expect, it } from 'vitest';
import { createBinanceExchange } from './exchange.js';
import { fallbackMarkets } from './symbols.js';

describe('createBinanceExchange', () => {
  it('refuses a restUrl with a path and a wsUrl that is not ws(s), naming the option and the form expected', async () => {
    expect(() => createBinanceExchange({ restUrl: 'http://127.0.0.1:9/api/v3' })).toThrow(
      'createBinanceExchange: restUrl must be an origin like http://127.0.0.1:8080 or https://api.example.com (no path): the client adds /api/v3/… itself, got http://127.0.0.1:9/api/v3',
    );
    expect(() => createBinanceExchange({ wsUrl: 'http://127.0.0.1:9' })).toThrow(
      'createBinanceExchange: wsUrl must be a ws:// or wss:// URL like ws://127.0.0.1:8080, got http://127.0.0.1:9',
    );
    await createBinanceExchange({ restUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9' }).close(); // accepted
  });

  it('keeps the built-in markets when exchangeInfo cannot be loaded', async () => {
    const exchange = createBinanceExchange({
      restUrl: 'http://127.0.0.1:9',
      restTimeoutMs: 200,
      rest: { attempts: 1 },
    });
    // No logger given: the failure is a process warning, not silence.
    const warned = once(process, 'warning');
    const markets = await exchange.loadMarkets();
    const [warning] = (await warned) as [Error & { code?: string }];
    expect(warning.code).toBe(MARKETS_KEPT_WARNING);
    expect(warning.message).toMatch(
      /^binance exchangeInfo could not be loaded \(.+\); keeping \d+ fallback markets$/,
    );
    expect(markets.length).toBe(fallbackMarkets().length);
    expect(exchange.marketsSource).toBe('fallback');
    expect(exchange.symbols.toNative('BTC/USDT')).toBe('BTCUSDT');
    expect(exchange.id).toBe('binance');
    expect(exchange.restLimits.maxSymbolsPerRequest).toBe(1);
    await exchange.close();
  });

  it('loads exchangeInfo (with filters) from the simulator and refuses unknown symbols by name', async () => {
    const sim = await startSimulator({ autoStart: false, sendTimeCapacity: 0 });
    const exchange = createBinanceExchange({ restUrl: sim.binance.restUrl, wsUrl: sim.binance.wsUrl });
    try {
      const markets = await exchange.loadMarkets();
      expect(exchange.marketsSource).toBe('exchange');
      expect(markets.map((m) => m.symbol).sort()).toEqual(['BTC/USDT', 'ETH/USDT', 'XRP/USDT']);
      expect(exchange.symbols.market('BTCUSDT')).toMatchObject({
        tickSize: 0.01,
        lotSize: 0.00001,
        minNotional: 5,
      });
      expect(() => exchange.createOrderBookStream({ symbols: ['BTC/USDT', 'DOGE/USDT'] })).toThrow(
        UnknownSymbolError,
      );
      expect(() => exchange.createOrderBookStream({ symbols: ['DOGE/USDT'] })).toThrow(/"DOGE\/USDT"/);
      const stream = exchange.createOrderBookStream({ symbols: ['BTC/USDT'] });
      await stream.start();
      expect(exchange.runningStreams).toBe(1);
      await stream.stop();
      expect(exchange.runningStreams).toBe(0);
      const [book] = await exchange.rest().fetchOrderBooks(['ETH/USDT'], { depth: 5 });
      expect(book?.bids.length).toBe(5);
      expect(book?.bids[0]?.[0]).toBeLessThan(book?.asks[0]?.[0] ?? 0);
    } finally {
      await exchange.close();
      await sim.stop();
    }
  });
});
