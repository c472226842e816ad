import type { OrderBookSnapshot } from '@arbitrage/core';
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { WebSocketMarketDataProvider } from '@arbitrage/provider-ws';
import { pino } from 'pino';

const TIMEOUT_MS = 10_000;
const INSTRUMENT = 'binance:BTC/USDT';

// Reconnects, resyncs and REST errors (a wrong restUrl answering 404, say) are logged through it.
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
// Unset: the real Binance. For the simulator, what `pnpm sim` prints for createBinanceExchange.
const binance = createBinanceExchange({
  restUrl: process.env.BINANCE_REST_URL,
  wsUrl: process.env.BINANCE_WS_URL,
  logger,
});
const provider = new WebSocketMarketDataProvider({ exchanges: [binance], symbols: ['BTCUSDT'], logger });

/** The first live book; after `timeoutMs`, an error saying what the instrument's health says. */
function firstLiveBook(timeoutMs: number): Promise<OrderBookSnapshot> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      const health = provider.health().instruments[INSTRUMENT];
      const why = health ? `${health.state}: ${health.reason ?? 'no reason given'}` : 'no health yet';
      reject(new Error(`no live ${INSTRUMENT} book within ${timeoutMs} ms (${why})`));
    }, timeoutMs);
    const unsubscribe = provider.onSnapshot(() => {
      const book = provider.getLatestSnapshot(INSTRUMENT);
      if (!book || provider.health().instruments[INSTRUMENT]?.state !== 'live') return;
      clearTimeout(timer);
      unsubscribe();
      resolve(book);
    });
  });
}

try {
  await provider.start();
  const book = await firstLiveBook(TIMEOUT_MS);
  console.log(`${book.symbol}: best bid ${book.bids[0]?.[0]}, best ask ${book.asks[0]?.[0]}`);
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await provider.stop();
  await binance.close();
}
