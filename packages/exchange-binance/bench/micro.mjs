// Micro-benchmarks of the Binance book path. Run: pnpm --filter @arbitrage/exchange-binance bench
// (builds first via turbo when run as `pnpm bench` from the root). Prints a markdown table.
import { emptyInstrumentCounters, OrderBook } from '@arbitrage/core';
import { BookEvent, SequencedSync } from '@arbitrage/exchange-kit';
import { seededRandom as random } from '@arbitrage/test-support';
// The parser is internal: reached through its built file, not the package's public entry.
import { BinanceFrameParser } from '../dist/frame-parser.js';

const LEVELS = 1000;
const LEVELS_PER_DIFF = 10;
const FRAMES = 20_000;
const ROUNDS = 7;

const rand = random(42);
const TICK = 0.01;
const MID = 97_000;
const price = (ticks) => (MID + ticks * TICK).toFixed(2);
const qty = () => (rand() < 0.15 ? '0.00000000' : (rand() * 3).toFixed(8));

function snapshotLevels() {
  const bids = [];
  const asks = [];
  for (let i = 1; i <= LEVELS; i++) {
    bids.push([Number(price(-i)), Number((rand() * 3 + 0.001).toFixed(8))]);
    asks.push([Number(price(i)), Number((rand() * 3 + 0.001).toFixed(8))]);
  }
  return { bids, asks };
}

/** ~10 levels near the touch, like a busy @depth@100ms event; never crossing. */
function diffLevels() {
  const bids = [];
  const asks = [];
  for (let i = 0; i < LEVELS_PER_DIFF; i++) {
    const ticks = 1 + Math.floor(rand() ** 2 * 60);
    if (i % 2 === 0) bids.push([price(-ticks), qty()]);
    else asks.push([price(ticks), qty()]);
  }
  return { bids, asks };
}

const list = (levels) => `[${levels.map(([p, q]) => `["${p}","${q}"]`).join(',')}]`;

const frames = [];
const diffs = [];
for (let i = 0; i < FRAMES; i++) {
  const { bids, asks } = diffLevels();
  diffs.push({ bids, asks });
  const id = 1_000_001 + i;
  frames.push(
    Buffer.from(
      `{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":${1_700_000_000_000 + i * 100},"s":"BTCUSDT","U":${id},"u":${id},"b":${list(bids)},"a":${list(asks)}}}`,
    ),
  );
}
const averageBytes = Math.round(frames.reduce((sum, frame) => sum + frame.length, 0) / FRAMES);

const snapshot = snapshotLevels();

async function liveSync() {
  const book = new OrderBook({ initialCapacity: 2048 });
  let updates = 0;
  const sync = new SequencedSync({
    exchange: 'binance',
    symbol: 'BTC/USDT',
    book,
    counters: emptyInstrumentCounters(),
    listener: {
      state: () => {},
      applied: () => updates++,
      error: (e) => {
        throw e;
      },
    },
    fetchSnapshot: async () => ({
      lastUpdateId: 999_999,
      bids: snapshot.bids,
      asks: snapshot.asks,
    }),
  });
  sync.start();
  const first = new BookEvent();
  first.firstId = 1_000_000;
  first.finalId = 1_000_000;
  sync.onEvent(first, 0);
  await new Promise((resolve) => setImmediate(resolve));
  if (sync.phase !== 'live') throw new Error(`sync not live: ${sync.phase}`);
  return { sync, book, updates: () => updates };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(name, setup, body) {
  const perOp = [];
  for (let round = 0; round < ROUNDS; round++) {
    const state = await setup();
    const start = process.hrtime.bigint();
    const ops = body(state);
    const elapsed = Number(process.hrtime.bigint() - start);
    if (round > 0) perOp.push(elapsed / ops);
  }
  const ns = median(perOp);
  return { name, ns, opsPerSecond: 1e9 / ns };
}

// Pre-parsed events, so that "apply" measures the book and the continuity checks only.
const events = frames.map((frame) => {
  const parser = new BinanceFrameParser();
  if (parser.parse(frame) !== 'depth') throw new Error('bad frame');
  return parser.event.clone();
});

const results = [];
results.push(
  await measure(
    'apply a 10-level diff to a 1000-level book (OrderBook.set × 10)',
    async () => {
      const book = new OrderBook({ initialCapacity: 2048 });
      book.applySnapshot(snapshot.bids, snapshot.asks);
      return book;
    },
    (book) => {
      for (const event of events) {
        for (let i = 0; i < event.bidCount; i++) book.set('bid', event.bidPrices[i], event.bidSizes[i]);
        for (let i = 0; i < event.askCount; i++) book.set('ask', event.askPrices[i], event.askSizes[i]);
      }
      return events.length;
    },
  ),
);
results.push(
  await measure('SequencedSync.onEvent: continuity check + apply + crossed check', liveSync, ({ sync }) => {
    for (const event of events) sync.onEvent(event, 0);
    return events.length;
  }),
);
results.push(
  await measure(
    `parse a depthUpdate frame (fast path, ${averageBytes} B)`,
    async () => new BinanceFrameParser(),
    (parser) => {
      for (const frame of frames) parser.parse(frame);
      return frames.length;
    },
  ),
);
results.push(
  await measure('parse + apply a depthUpdate frame (parser → SequencedSync → book)', liveSync, ({ sync }) => {
    const parser = new BinanceFrameParser();
    for (const frame of frames) {
      if (parser.parse(frame) === 'depth') sync.onEvent(parser.event, 0);
    }
    return frames.length;
  }),
);
results.push(
  await measure(
    'reference: JSON.parse(frame.toString()) only (the floor of issue 7)',
    async () => null,
    () => {
      let sink = 0;
      for (const frame of frames) sink += JSON.parse(frame.toString()).data.u;
      if (sink === 0) throw new Error('unreachable');
      return frames.length;
    },
  ),
);

// Sanity: the benchmarked path ends with the same book as a plain JSON.parse model.
{
  const { sync, book } = await liveSync();
  const parser = new BinanceFrameParser();
  for (const frame of frames) if (parser.parse(frame) === 'depth') sync.onEvent(parser.event, 0);
  const model = new OrderBook({ initialCapacity: 2048 });
  model.applySnapshot(snapshot.bids, snapshot.asks);
  for (const frame of frames) {
    const { data } = JSON.parse(frame.toString());
    for (const [p, q] of data.b) model.set('bid', Number(p), Number(q));
    for (const [p, q] of data.a) model.set('ask', Number(p), Number(q));
  }
  const same =
    JSON.stringify(book.top('bid', 2000)) === JSON.stringify(model.top('bid', 2000)) &&
    JSON.stringify(book.top('ask', 2000)) === JSON.stringify(model.top('ask', 2000));
  if (!same) throw new Error('benchmarked path and JSON.parse model disagree');
}

const cpu = (await import('node:os')).cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `Node ${process.version}, ${cpu}, ${new Date().toISOString().slice(0, 10)}; ${FRAMES} frames × ${ROUNDS - 1} rounds (median)\n`,
);
console.log('| benchmark | ns/op | ops/s |');
console.log('|---|---:|---:|');
for (const { name, ns, opsPerSecond } of results) {
  console.log(`| ${name} | ${ns.toFixed(0)} | ${Math.round(opsPerSecond).toLocaleString('en-US')} |`);
}
