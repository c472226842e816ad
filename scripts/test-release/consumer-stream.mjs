// Copied into the fresh project and run there: the provider-ws README's "Install only what you need"
// example (stream.mjs) with the simulator's URLs passed in, a deadline instead of waiting forever, and
// the book printed as one JSON line for the release test to check.
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { WebSocketMarketDataProvider } from '@arbitrage/provider-ws';

const [restUrl, wsUrl] = process.argv.slice(2);
const binance = createBinanceExchange({ restUrl, wsUrl });
const provider = new WebSocketMarketDataProvider({ exchanges: [binance], symbols: ['BTCUSDT'] });
await provider.start();
const deadline = Date.now() + 15_000;
while (!provider.health().allLive) {
  if (Date.now() > deadline)
    throw new Error(`no live book within 15 s: ${JSON.stringify(provider.health())}`);
  await new Promise((r) => setTimeout(r, 20));
}
const book = provider.getLatestSnapshot('BTCUSDT');
const health = provider.health().instruments['binance:BTC/USDT'];
console.log(
  JSON.stringify({
    instrument: 'binance:BTC/USDT',
    state: health?.state,
    source: health?.source,
    bids: book.bids.slice(0, 3),
    asks: book.asks.slice(0, 3),
    levels: { bids: book.bids.length, asks: book.asks.length },
  }),
);
await provider.stop();
await binance.close();
