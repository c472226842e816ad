// Measures, against the simulator on loopback: the cost of getLatestSnapshot on a live instrument,
// and how long fail-over takes from a stalled stream to a live REST-served book (and back).
// Run after a build: node packages/provider-ws/scripts/measure.mjs [runs=5]
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { createUpbitExchange } from '@arbitrage/exchange-upbit';
import { FailoverMarketDataProvider } from '@arbitrage/provider-ws';
import { startSimulator } from '@arbitrage/simulator';

const runs = Number(process.argv[2] ?? 5);
const policy = { staleAfterMs: 200, failoverAfterMs: 300, switchBackAfterMs: 400, pollIntervalMs: 100 };
const sim = await startSimulator({ seed: 1, sendTimeCapacity: 0, binance: { depthLevels: 100 } });
const upbit = createUpbitExchange({
  restUrl: sim.upbit.restUrl,
  wsUrl: sim.upbit.wsUrl,
  stream: {
    keepalive: { intervalMs: 100, timeoutMs: 300 },
    minResubscribeIntervalMs: 20,
    backoff: { baseMs: 20, capMs: 500 },
    minConnectIntervalMs: 0,
  },
});
const binance = createBinanceExchange({ restUrl: sim.binance.restUrl, wsUrl: sim.binance.wsUrl });
const provider = new FailoverMarketDataProvider({
  exchanges: [upbit, binance],
  symbols: ['KRW-BTC', 'KRW-ETH', 'BTCUSDT'],
  ...policy,
  depth: 20,
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const waitFor = async (cond) => {
  while (!cond()) await sleep(2);
};
const h = (id) => provider.health().instruments[id];

await provider.start();
await waitFor(() => provider.health().allLive);

const reads = 1_000_000;
const t = process.hrtime.bigint();
for (let i = 0; i < reads; i++) provider.getLatestSnapshot('BTCUSDT');
const readNs = Number(process.hrtime.bigint() - t) / reads;

const toRest = [];
const toWs = [];
for (let run = 0; run < runs; run++) {
  const stall = sim.faults.stallStream('upbit', { symbol: 'KRW-BTC' });
  const injected = Date.now();
  await waitFor(() => h('upbit:BTC/KRW').source === 'rest' && h('upbit:BTC/KRW').state === 'live');
  toRest.push(Date.now() - injected);
  stall.clear();
  const cleared = Date.now();
  await waitFor(() => h('upbit:BTC/KRW').source === 'ws');
  toWs.push(Date.now() - cleared);
}
console.log(
  JSON.stringify({
    getLatestSnapshotNs: Math.round(readNs),
    stallToLiveRestMs: toRest,
    clearToWsMs: toWs,
    policy,
  }),
);
await provider.stop();
await Promise.all([upbit.close(), binance.close()]);
await sim.stop();
