// One feed → N consumer processes over a real nats-server, on the simulator (run after `pnpm build`;
// not part of the test suite):
//   node packages/provider-nats/scripts/fanout-bench.mjs [consumers=4] [seconds=15] [--json]
// Measures end-to-end latency from a frame's arrival at the feed to the book served by each
// consumer (p50/p99), against the in-process provider's (frame arrival → its onSnapshot), and the
// feed's CPU per published update: with no consumer, with N, and the difference per consumer.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '@arbitrage/simulator';
import { startNatsServer } from '@arbitrage/test-support';

const args = process.argv.slice(2).filter((arg) => arg !== '--json');
const json = process.argv.includes('--json');
const consumers = Number(args[0] ?? 4);
const seconds = Number(args[1] ?? 15);
const SYMBOLS = [
  'upbit:BTC/KRW',
  'upbit:ETH/KRW',
  'upbit:XRP/KRW',
  'upbit:USDT/KRW',
  'binance:BTC/USDT',
  'binance:ETH/USDT',
  'binance:XRP/USDT',
];
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function child(file, config) {
  const proc = fork(here(file), [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (type) =>
    new Promise((resolve) => {
      const on = (message) => {
        if (message.type === type) {
          proc.off('message', on);
          resolve(message);
        }
      };
      proc.on('message', on);
    });
  return {
    proc,
    next,
    ask: (type) => {
      const reply = next(type);
      proc.send(type);
      return reply;
    },
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1),
  };
}

const cpuMs = (from, to) => (to.user + to.system - from.user - from.system) / 1_000;

const sim = await startSimulator({
  seed: 3,
  sendTimeCapacity: 0,
  upbit: { updatesPerSecond: 20 },
  binance: { updatesPerSecond: 20 },
});
const server = await startNatsServer();
const feed = child('./fanout-feed.mjs', {
  natsUrl: server.url,
  upbit: sim.upbit,
  binance: sim.binance,
  symbols: SYMBOLS,
});
await feed.next('ready');
await sleep(3_000); // every book live, JIT warm

// Phase 1: the feed alone.
let a = await feed.ask('mark');
await sleep(seconds * 1_000);
let b = await feed.ask('mark');
const alone = { cpuMs: cpuMs(a.cpu, b.cpu), updates: b.published - a.published };
const inProcess = stats(b.latencies);

// Phase 2: N consumers.
const readers = [];
for (let i = 0; i < consumers; i++)
  readers.push(child('./fanout-consumer.mjs', { natsUrl: server.url, symbols: SYMBOLS }));
const ready = await Promise.all(readers.map((reader) => reader.next('ready')));
await sleep(1_000);
a = await feed.ask('mark');
await Promise.all(readers.map((reader) => reader.ask('mark')));
await sleep(seconds * 1_000);
b = await feed.ask('mark');
const marks = await Promise.all(readers.map((reader) => reader.ask('mark')));
const fanned = { cpuMs: cpuMs(a.cpu, b.cpu), updates: b.published - a.published };
const overNats = stats(marks.flatMap((mark) => mark.latencies));

const perUpdateAlone = (alone.cpuMs * 1_000) / alone.updates;
const perUpdateFanned = (fanned.cpuMs * 1_000) / fanned.updates;
const result = {
  consumers,
  seconds,
  instruments: SYMBOLS.length,
  consumersLive: ready.every((r) => r.allLive),
  updatesPerSecond: Math.round(fanned.updates / seconds),
  latencyMs: { inProcess, overNats },
  feedCpu: {
    percentAlone: Math.round((alone.cpuMs / (seconds * 10)) * 10) / 10,
    percentWithConsumers: Math.round((fanned.cpuMs / (seconds * 10)) * 10) / 10,
    usPerUpdateAlone: Math.round(perUpdateAlone * 10) / 10,
    usPerUpdateWithConsumers: Math.round(perUpdateFanned * 10) / 10,
    usPerUpdatePerConsumer: Math.round(((perUpdateFanned - perUpdateAlone) / consumers) * 100) / 100,
  },
};

for (const reader of readers) reader.proc.send('stop');
feed.proc.send('stop');
await Promise.all([feed, ...readers].map((c) => new Promise((resolve) => c.proc.once('exit', resolve))));
await server.stop();
await sim.stop();

if (json) console.log(JSON.stringify(result));
else {
  console.log(
    `one feed → ${consumers} consumer processes, ${SYMBOLS.length} instruments, ${result.updatesPerSecond} updates/s, ${seconds} s per phase`,
  );
  console.log(
    `latency frame at the feed → book        p50 ${inProcess.p50} ms  p99 ${inProcess.p99} ms  (in-process provider, ${inProcess.samples} books)`,
  );
  console.log(
    `latency frame at the feed → consumer    p50 ${overNats.p50} ms  p99 ${overNats.p99} ms  (over NATS, ${overNats.samples} books)`,
  );
  console.log(
    `feed CPU: ${result.feedCpu.percentAlone} % alone, ${result.feedCpu.percentWithConsumers} % with ${consumers} consumers; ` +
      `${result.feedCpu.usPerUpdateAlone} µs/update alone, ${result.feedCpu.usPerUpdateWithConsumers} µs/update with consumers, ` +
      `${result.feedCpu.usPerUpdatePerConsumer} µs per update per consumer`,
  );
}
