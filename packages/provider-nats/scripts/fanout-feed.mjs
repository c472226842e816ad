// Child process of fanout-bench.mjs: the feed. A WebSocket provider on the simulator's URLs,
// published with NatsFeedPublisher. Reports its CPU time, books published and the in-process
// latency (frame arrival → book in the provider's onSnapshot) when asked.
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange } from '@arbitrage/exchange-upbit';
import { NatsFeedPublisher } from '@arbitrage/provider-nats';
import { WebSocketMarketDataProvider } from '@arbitrage/provider-ws';

const { natsUrl, upbit, binance, symbols } = JSON.parse(process.argv[2]);
const exchanges = [
  createUpbitExchange({ restUrl: upbit.restUrl, wsUrl: upbit.wsUrl }),
  createBinanceExchange({ restUrl: binance.restUrl, wsUrl: binance.wsUrl }),
];
const provider = new WebSocketMarketDataProvider({ exchanges, symbols, depth: 20 });
const publisher = new NatsFeedPublisher({ provider, servers: natsUrl, depth: 20 });
let published = 0;
let latencies = [];
publisher.onPublished(() => {
  published++;
});
provider.onSnapshot((snapshot) => {
  latencies.push(Date.now() - snapshot.receivedAt);
});
await publisher.start();
await provider.start();
process.on('message', async (message) => {
  if (message === 'mark') {
    process.send({ type: 'mark', cpu: process.cpuUsage(), published, latencies });
    latencies = [];
  } else if (message === 'stop') {
    await provider.stop();
    await publisher.stop();
    await Promise.all(exchanges.map((plugin) => plugin.close()));
    process.exit(0);
  }
});
process.send({ type: 'ready' });
