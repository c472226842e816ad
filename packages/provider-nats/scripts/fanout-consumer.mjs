// Child process of fanout-bench.mjs: one consumer. Records, for every book it serves, the time from
// the frame's arrival at the feed (its receivedAt: same machine, same clock) to the book here.
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange } from '@arbitrage/exchange-upbit';
import { NatsMarketDataProvider } from '@arbitrage/provider-nats';

const { natsUrl, symbols } = JSON.parse(process.argv[2]);
const provider = new NatsMarketDataProvider({
  exchanges: [createUpbitExchange(), createBinanceExchange()],
  symbols,
  servers: natsUrl,
});
let latencies = [];
provider.onSnapshot((snapshot) => {
  latencies.push(Date.now() - snapshot.receivedAt);
});
await provider.start();
process.on('message', async (message) => {
  if (message === 'mark') {
    process.send({ type: 'mark', latencies, allLive: provider.health().allLive });
    latencies = [];
  } else if (message === 'stop') {
    await provider.stop();
    process.exit(0);
  }
});
const started = Date.now();
while (!provider.health().allLive && Date.now() - started < 30_000)
  await new Promise((r) => setTimeout(r, 20));
process.send({ type: 'ready', allLive: provider.health().allLive });
