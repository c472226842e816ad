import { waitFor } from '@arbitrage/test-support';
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { simulator } from './helpers.js';

// ccxt is imported once for the file (the import alone takes seconds).

type Book = { bids: [number, number][]; asks: [number, number][]; nonce?: number; timestamp?: number };

describe('ccxt pro against the simulator', () => {
  it('binance: ccxt keeps the same book as the simulator', async () => {
    const sim = await simulator({ autoStart: true, binance: { updatesPerSecond: 20 } });
    const rest = sim.binance.restUrl;
    const exchange = new ccxt.pro.binance({
      enableRateLimit: false,
      urls: {
        api: {
          public: `${rest}/api/v3`,
          private: `${rest}/api/v3`,
          v1: `${rest}/api/v1`,
          ws: { spot: `${sim.binance.wsUrl}/ws` },
        },
      },
      options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
    });
    try {
      await exchange.loadHttpProxyAgent();
      let book: Book | undefined;
      const deadline = Date.now() + 8000;
      while (Date.now() < deadline) {
        book = (await exchange.watchOrderBook('BTC/USDT')) as unknown as Book;
        if (book.nonce !== undefined && book.bids.length > 100) break;
      }
      // Pause, let every update already sent reach ccxt, and compare at the same update id. On a
      // loaded CI machine ccxt sometimes never reached the paused id (cause not pinned down; a resync
      // waiting for a bridging delta that a paused market never sends would do it), so the market
      // then runs another second and pauses again, up to three times.
      let truth = sim.market.binanceBook('BTCUSDT');
      const caughtUp = () =>
        (exchange.orderbooks['BTC/USDT'] as unknown as Book | undefined)?.nonce === truth.lastUpdateId;
      for (let attempt = 1; ; attempt++) {
        sim.market.pause();
        truth = sim.market.binanceBook('BTCUSDT');
        try {
          await waitFor(caughtUp, 5_000, 'ccxt to catch up');
          break;
        } catch (error) {
          if (attempt === 3) throw error;
          sim.market.resume();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
      const local = exchange.orderbooks['BTC/USDT'] as unknown as Book;
      expect(local.bids.slice(0, 100)).toEqual(truth.bids.slice(0, 100));
      expect(local.asks.slice(0, 100)).toEqual(truth.asks.slice(0, 100));
    } finally {
      await exchange.close();
    }
  }, 40_000);

  it('okx: ccxt keeps the same book as the simulator', async () => {
    // ccxt builds the book from the snapshot push (it does not fetch REST) and links updates by
    // prevSeqId; ccxt 4.5.84 does not read the checksum, so OKX's checksum 0 needs no option.
    const sim = await simulator({ autoStart: true, okx: { updatesPerSecond: 20, snapshotPush: true } });
    const exchange = new ccxt.pro.okx({
      enableRateLimit: false,
      // ccxt appends /api/v5/... to `rest` ('https://{hostname}' by default, a template it fills in
      // only when present) and /public to `ws`.
      urls: { api: { rest: sim.okx.restUrl, ws: `${sim.okx.wsUrl}/ws/v5` } },
      options: { fetchMarkets: { types: ['spot'] } },
    });
    try {
      await exchange.loadHttpProxyAgent();
      let book: Book | undefined;
      const deadline = Date.now() + 8000;
      while (Date.now() < deadline) {
        book = (await exchange.watchOrderBook('BTC/USDT')) as unknown as Book;
        if (book.nonce !== undefined && book.bids.length > 100) break;
      }
      let truth = sim.market.okxBook('BTC-USDT');
      const caughtUp = () =>
        (exchange.orderbooks['BTC/USDT'] as unknown as Book | undefined)?.nonce === truth.seqId;
      for (let attempt = 1; ; attempt++) {
        sim.market.pause();
        truth = sim.market.okxBook('BTC-USDT');
        try {
          await waitFor(caughtUp, 5_000, 'ccxt to catch up');
          break;
        } catch (error) {
          if (attempt === 3) throw error;
          sim.market.resume();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
      const local = exchange.orderbooks['BTC/USDT'] as unknown as Book;
      expect(local.bids.slice(0, 100)).toEqual(truth.bids.slice(0, 100));
      expect(local.asks.slice(0, 100)).toEqual(truth.asks.slice(0, 100));
    } finally {
      await exchange.close();
    }
  }, 40_000);

  it('upbit: ccxt keeps the same book as the simulator', async () => {
    const sim = await simulator({ autoStart: true });
    const exchange = new ccxt.pro.upbit({
      enableRateLimit: false,
      urls: {
        api: { public: sim.upbit.restUrl, private: sim.upbit.restUrl, ws: `${sim.upbit.wsUrl}/websocket/v1` },
      },
    });
    try {
      await exchange.loadHttpProxyAgent();
      await exchange.watchOrderBook('BTC/KRW');
      await exchange.watchOrderBook('ETH/KRW');
      sim.market.pause();
      const truth = sim.market.upbitBook('KRW-BTC');
      await waitFor(
        () => (exchange.orderbooks['BTC/KRW'] as unknown as Book | undefined)?.timestamp === truth.timestamp,
        12_000,
        'ccxt to catch up',
      );
      const local = exchange.orderbooks['BTC/KRW'] as unknown as Book;
      expect(local.bids).toEqual(truth.bids.slice(0, local.bids.length));
      expect(local.asks).toEqual(truth.asks.slice(0, local.asks.length));
      expect(local.bids.length).toBeGreaterThanOrEqual(15);
      const eth = sim.market.upbitBook('KRW-ETH');
      const localEth = exchange.orderbooks['ETH/KRW'] as unknown as Book;
      expect(localEth.bids).toEqual(eth.bids.slice(0, localEth.bids.length));
    } finally {
      await exchange.close();
    }
  }, 20_000);
});
