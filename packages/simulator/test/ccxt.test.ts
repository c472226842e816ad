import { waitFor } from '@arbitrage/test-support';
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { clientEndpoints } from '../src/client-endpoints.js';
import { simulator } from './helpers.js';

// ccxt is imported once for the file (the import alone takes seconds).

type Book = { bids: [number, number][]; asks: [number, number][]; nonce?: number; timestamp?: number };

interface CcxtPro {
  loadHttpProxyAgent(): Promise<unknown>;
  watchOrderBook(symbol: string): Promise<unknown>;
  orderbooks: Record<string, unknown>;
}

interface TrueBook {
  readonly id: number;
  readonly bids: unknown[];
  readonly asks: unknown[];
}

/**
 * Watches `symbol` until ccxt holds a deep book with a nonce, pauses the market and compares ccxt's
 * book with the simulator's at the same update id. On a loaded CI machine ccxt sometimes never
 * reached the paused id (cause not pinned down; a resync waiting for a bridging delta that a paused
 * market never sends would do it), so the market then runs another second and pauses again, up to
 * three times.
 */
async function expectSameBook(
  exchange: CcxtPro,
  market: { pause(): void; resume(): void },
  symbol: string,
  truthNow: () => TrueBook,
): Promise<void> {
  await exchange.loadHttpProxyAgent();
  const deadline = Date.now() + 8000;
  while (Date.now() < deadline) {
    const book = (await exchange.watchOrderBook(symbol)) as Book;
    if (book.nonce !== undefined && book.bids.length > 100) break;
  }
  let truth = truthNow();
  const caughtUp = () => (exchange.orderbooks[symbol] as Book | undefined)?.nonce === truth.id;
  for (let attempt = 1; ; attempt++) {
    market.pause();
    truth = truthNow();
    try {
      await waitFor(caughtUp, 5_000, 'ccxt to catch up');
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      market.resume();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  const local = exchange.orderbooks[symbol] as Book;
  expect(local.bids.slice(0, 100)).toEqual(truth.bids.slice(0, 100));
  expect(local.asks.slice(0, 100)).toEqual(truth.asks.slice(0, 100));
}

describe('ccxt pro against the simulator', () => {
  it('binance: ccxt keeps the same book as the simulator', async () => {
    const sim = await simulator({ autoStart: true, binance: { updatesPerSecond: 20 } });
    // What `pnpm sim` prints for ccxt, as it prints it.
    const exchange = new ccxt.pro.binance({ enableRateLimit: false, ...clientEndpoints(sim).binance.ccxt });
    try {
      await expectSameBook(exchange as unknown as CcxtPro, sim.market, 'BTC/USDT', () => {
        const book = sim.market.binanceBook('BTCUSDT');
        return { id: book.lastUpdateId, bids: book.bids, asks: book.asks };
      });
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
      ...clientEndpoints(sim).okx.ccxt,
    });
    try {
      await expectSameBook(exchange as unknown as CcxtPro, sim.market, 'BTC/USDT', () => {
        const book = sim.market.okxBook('BTC-USDT');
        return { id: book.seqId, bids: book.bids, asks: book.asks };
      });
    } finally {
      await exchange.close();
    }
  }, 40_000);

  it('upbit: ccxt keeps the same book as the simulator', async () => {
    const sim = await simulator({ autoStart: true });
    const exchange = new ccxt.pro.upbit({ enableRateLimit: false, ...clientEndpoints(sim).upbit.ccxt });
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
