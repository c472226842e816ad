import type { ExchangePlugin, LiveBook, OrderBookSnapshot, OrderBookStream } from '@arbitrage/core';
import type { ClientBook, ClientConfig } from '../protocol.js';
import { unifiedSymbol } from '../symbols.js';
import type { ClientFactory, RunningClient } from './client.js';
import type { Recorder } from './recorder.js';

/** The provider API of issue 4 (provider-api.md), narrowed to what the harness uses. */
interface Provider {
  start(): Promise<void>;
  stop(): Promise<void>;
  getLatestSnapshot(symbol: string): OrderBookSnapshot | undefined;
  onSnapshot(listener: (snapshot: OrderBookSnapshot) => void): () => void;
  onBookUpdate(listener: (instrument: unknown, book: LiveBook) => void): () => void;
}
type ProviderConstructor = new (options: {
  exchanges: ExchangePlugin[];
  symbols: string[];
  staleAfterMs?: number;
  depth?: number;
}) => Provider;

/** WebSocketMarketDataProvider, when @arbitrage/provider-ws exports it (it is being written). */
export async function loadProvider(): Promise<ProviderConstructor | undefined> {
  const module = (await import('@arbitrage/provider-ws')) as Record<string, unknown>;
  const candidate = module.WebSocketMarketDataProvider;
  return typeof candidate === 'function' ? (candidate as ProviderConstructor) : undefined;
}

/** Loads the exchange package under test ahead of a timed run (see ClientPreload). */
export async function preloadOurs(config: ClientConfig): Promise<void> {
  if (config.exchange === 'binance') await import('@arbitrage/exchange-binance');
  else if (config.exchange === 'upbit') await import('@arbitrage/exchange-upbit');
  else await import('@arbitrage/exchange-okx');
}

/** Imports only the exchange package under test, as an application that trades one exchange would. */
async function createExchange(config: ClientConfig): Promise<ExchangePlugin> {
  const urls = { restUrl: config.restUrl, wsUrl: config.wsUrl };
  // Binance: 1000-level snapshots (weight 50, as ccxt asks) unless the run says otherwise; OKX: 400
  // levels (REST's most, the plugin's default, what ccxt keeps from the snapshot push). All: no
  // lag limit, since a burst delivers frames stamped seconds away from their arrival (Upbit's run
  // ahead), which the default (1 s) would rightly report as a lagging feed and stop emitting.
  if (config.exchange === 'binance') {
    const { createBinanceExchange } = await import('@arbitrage/exchange-binance');
    return createBinanceExchange({
      ...urls,
      ...(config.snapshotPacing ? { snapshots: config.snapshotPacing } : {}),
      stream: { snapshotLimit: config.snapshotLimit ?? 1000, maxLagMs: 600_000 },
    });
  }
  if (config.exchange === 'upbit') {
    const { createUpbitExchange } = await import('@arbitrage/exchange-upbit');
    return createUpbitExchange({ ...urls, stream: { maxLagMs: 600_000 } });
  }
  const { createOkxExchange } = await import('@arbitrage/exchange-okx');
  return createOkxExchange({
    restUrl: config.restUrl,
    wsUrl: `${config.wsUrl}/ws/v5/public`,
    stream: { snapshotSize: 400, maxLagMs: 600_000, ...config.okxSubscribe },
  });
}

/**
 * Our client: WebSocketMarketDataProvider over the exchange plugin (mode 'provider', what the
 * published table uses), or the plugin's OrderBookStream directly (mode 'stream').
 */
export const startOurs: ClientFactory = async (config: ClientConfig, recorder: Recorder) => {
  const exchange = await createExchange(config);
  await exchange.loadMarkets();
  // The id a book reflects: Binance `u` and OKX `seqId` are its sequence; Upbit's is the book's timestamp.
  const bySequence = config.exchange !== 'upbit';
  const Provider = config.oursVia === 'stream' ? undefined : await loadProvider();
  if (config.oursVia === 'provider' && Provider === undefined)
    throw new Error('@arbitrage/provider-ws does not export WebSocketMarketDataProvider yet');
  if (Provider !== undefined) {
    // What a consumer does: onSnapshot at the provider's default depth (20), a fresh immutable
    // snapshot per update. The final books are read deeper, from the live books behind it.
    const provider = new Provider({
      exchanges: [exchange],
      symbols: [...config.symbols],
      staleAfterMs: 60_000,
    });
    const viaBook = config.client === 'ours-book';
    if (!viaBook) {
      provider.onSnapshot((snapshot) => {
        const id = bySequence ? snapshot.sequence : snapshot.exchangeTime;
        if (id !== undefined) recorder.record(snapshot.nativeSymbol, id);
      });
    }
    const liveBooks = new Map<string, LiveBook>();
    const forget = provider.onBookUpdate((_instrument, book) => {
      if (viaBook) recorder.record(book.nativeSymbol, bySequence ? (book.sequence ?? 0) : book.exchangeTime);
      if (!liveBooks.has(book.nativeSymbol)) {
        liveBooks.set(book.nativeSymbol, book);
        // onSnapshot mode listens here only to find the live books (for the final comparison).
        if (!viaBook && liveBooks.size === config.symbols.length) forget();
      }
    });
    await provider.start();
    return {
      books(levels) {
        const out: Record<string, ClientBook> = {};
        for (const [native, live] of liveBooks) {
          out[native] = { bids: live.book.top('bid', levels), asks: live.book.top('ask', levels) };
        }
        return out;
      },
      notes: () => ({
        implementation: viaBook
          ? 'WebSocketMarketDataProvider (onBookUpdate: live book)'
          : 'WebSocketMarketDataProvider (onSnapshot, depth 20)',
      }),
      async close() {
        await provider.stop();
        await exchange.close();
      },
    } satisfies RunningClient;
  }
  const stream: OrderBookStream = exchange.createOrderBookStream({
    symbols: config.symbols.map((native) => unifiedSymbol(config.exchange, native)),
    staleAfterMs: 60_000,
  });
  stream.onUpdate(
    bySequence
      ? (live: LiveBook) => recorder.record(live.nativeSymbol, live.sequence ?? 0)
      : (live: LiveBook) => recorder.record(live.nativeSymbol, live.exchangeTime),
  );
  await stream.start();
  return {
    books(levels) {
      const out: Record<string, ClientBook> = {};
      for (const native of config.symbols) {
        const live = stream.book(unifiedSymbol(config.exchange, native));
        if (live) out[native] = { bids: live.book.top('bid', levels), asks: live.book.top('ask', levels) };
      }
      return out;
    },
    notes() {
      let gaps = 0;
      let resyncs = 0;
      let invalid = 0;
      for (const native of config.symbols) {
        const counters = stream.counters(unifiedSymbol(config.exchange, native));
        gaps += counters?.gaps ?? 0;
        resyncs += counters?.resyncs ?? 0;
        invalid += counters?.invalidMessages ?? 0;
      }
      return { implementation: `${config.exchange} OrderBookStream (direct)`, gaps, resyncs, invalid };
    },
    async close() {
      await stream.stop();
      await exchange.close();
    },
  } satisfies RunningClient;
};
