// End-to-end throughput against the simulator (same process): our stream vs the floor of issue 7
// (bare `ws` + JSON.parse of every frame). Run: node bench/throughput.mjs [updates]
import { startSimulator } from '@arbitrage/simulator';
import WebSocket from 'ws';
import { createBinanceExchange } from '../dist/index.js';

const UPDATES = Number(process.argv[2] ?? 50_000);
const SYMBOL = 'BTCUSDT';

async function sim() {
  return startSimulator({
    autoStart: false,
    sendTimeCapacity: 0,
    assets: ['BTC'],
    binance: { depthLevels: 1000 },
  });
}

async function floor() {
  const s = await sim();
  const ws = new WebSocket(`${s.binance.wsUrl}/stream?streams=btcusdt@depth@100ms`, {
    perMessageDeflate: false,
  });
  await new Promise((resolve) => ws.once('open', resolve));
  let target = Number.POSITIVE_INFINITY;
  let last = 0;
  let resolveDone;
  const done = new Promise((resolve) => {
    resolveDone = resolve;
  });
  ws.on('message', (data) => {
    last = JSON.parse(data).data.u;
    if (last >= target) resolveDone();
  });
  const cpu = process.cpuUsage();
  const start = performance.now();
  await s.market.pump({ count: UPDATES });
  target = s.market.binanceBook(SYMBOL).lastUpdateId;
  if (last >= target) resolveDone();
  await done;
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  ws.close();
  await s.stop();
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

async function ours() {
  const s = await sim();
  const exchange = createBinanceExchange({ restUrl: s.binance.restUrl, wsUrl: s.binance.wsUrl });
  await exchange.loadMarkets();
  const stream = exchange.createOrderBookStream({
    symbols: ['BTC/USDT'],
    staleAfterMs: 60_000,
    snapshotLimit: 1000,
  });
  await stream.start();
  while (stream.status('BTC/USDT')?.state !== 'live') {
    s.market.stepBinance(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  let target = Number.POSITIVE_INFINITY;
  let resolveDone;
  const done = new Promise((resolve) => {
    resolveDone = resolve;
  });
  stream.onUpdate((book) => {
    if (book.sequence >= target) resolveDone();
  });
  const cpu = process.cpuUsage();
  const start = performance.now();
  await s.market.pump({ count: UPDATES });
  target = s.market.binanceBook(SYMBOL).lastUpdateId;
  if (stream.book('BTC/USDT').sequence >= target) resolveDone();
  await done;
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const truth = s.market.binanceBook(SYMBOL);
  const book = stream.book('BTC/USDT').book;
  const equal =
    JSON.stringify(book.top('bid', 5000)) === JSON.stringify(truth.bids) &&
    JSON.stringify(book.top('ask', 5000)) === JSON.stringify(truth.asks);
  const counters = stream.counters('BTC/USDT');
  await exchange.close();
  await s.stop();
  return { ms, cpuMs: (used.user + used.system) / 1000, equal, gaps: counters.gaps };
}

const rows = [];
for (let round = 0; round < 3; round++) {
  rows.push({ floor: await floor(), ours: await ours() });
}
const best = (pick) => Math.min(...rows.map(pick));
const floorMs = best((r) => r.floor.ms);
const oursMs = best((r) => r.ours.ms);
console.log(
  `${UPDATES} diff updates of ${SYMBOL} (1000-level book), simulator in the same process, best of 3`,
);
console.log('| client | updates/s | CPU ms (sim included) |');
console.log('|---|---:|---:|');
console.log(
  `| floor: ws + JSON.parse | ${Math.round((UPDATES / floorMs) * 1000).toLocaleString('en-US')} | ${Math.round(best((r) => r.floor.cpuMs))} |`,
);
console.log(
  `| BinanceOrderBookStream (diff, full book) | ${Math.round((UPDATES / oursMs) * 1000).toLocaleString('en-US')} | ${Math.round(best((r) => r.ours.cpuMs))} |`,
);
console.log(
  `ratio ours/floor: ${(floorMs / oursMs).toFixed(2)}; final books equal the true book: ${rows.every((r) => r.ours.equal)}; gaps: ${rows.map((r) => r.ours.gaps).join(',')}`,
);
