// Measures, against the simulator on loopback: request rate per exchange, the interval in force,
// and the age of the book a reader gets (now - receivedAt) when polling 3 Upbit + 3 Binance symbols.
// Run after a build: node packages/provider-rest/scripts/measure.mjs [pollIntervalMs=200] [seconds=5]
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange } from '@arbitrage/exchange-upbit';
import { RestMarketDataProvider } from '@arbitrage/provider-rest';
import { startSimulator } from '@arbitrage/simulator';

const pollIntervalMs = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 5);
const sim = await startSimulator({ seed: 1, sendTimeCapacity: 0, binance: { depthLevels: 100 } });
const upbit = createUpbitExchange({ restUrl: sim.upbit.restUrl, wsUrl: sim.upbit.wsUrl });
const binance = createBinanceExchange({ restUrl: sim.binance.restUrl, wsUrl: sim.binance.wsUrl });
const requests = { upbit: 0, binance: 0 };
for (const [name, plugin] of [
  ['upbit', upbit],
  ['binance', binance],
]) {
  const rest = plugin.rest();
  const original = rest.fetchOrderBooks.bind(rest);
  rest.fetchOrderBooks = (symbols, options) => {
    requests[name]++;
    return original(symbols, options);
  };
}
const symbols = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP', 'BTCUSDT', 'ETHUSDT', 'XRPUSDT'];
const provider = new RestMarketDataProvider({
  exchanges: [upbit, binance],
  symbols,
  pollIntervalMs,
  depth: 20,
});
await provider.start();
const ages = [];
const end = Date.now() + seconds * 1000;
while (Date.now() < end) {
  await new Promise((r) => setTimeout(r, 7));
  for (const symbol of symbols) {
    const book = provider.getLatestSnapshot(symbol);
    if (book) ages.push(Date.now() - book.receivedAt);
  }
}
ages.sort((a, b) => a - b);
const pct = (p) => ages[Math.min(ages.length - 1, Math.floor(p * ages.length))];
console.log(
  JSON.stringify({
    pollIntervalMs,
    intervalsInForce: provider.pollIntervals(),
    requestsPerSecond: { upbit: requests.upbit / seconds, binance: requests.binance / seconds },
    bookAgeMs: { p50: pct(0.5), p99: pct(0.99), max: ages[ages.length - 1] },
    allLive: provider.health().allLive,
  }),
);
await provider.stop();
await Promise.all([upbit.close(), binance.close()]);
await sim.stop();
