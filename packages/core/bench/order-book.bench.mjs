// Micro-benchmark of the local order book, over the built package (run `pnpm bench` in packages/core,
// which builds first). Prints the median and the best of several timed samples in ns per operation:
// on a busy machine the median moves with the load, the best much less.
import os from 'node:os';
import { createLiveBook, OrderBook } from '../dist/index.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 31);
const LOAD_AT_START = os.loadavg()[0];
const TICK = 0.5;
const MID = 50_000;

let sink = 0;

/**
 * Runs `pass` (which performs `ops` operations) repeatedly: a warm-up, then SAMPLES timed passes with
 * `reset` (untimed) before each. Returns ns per operation: { median, best }.
 */
function measure(ops, pass, reset = () => {}) {
  for (let i = 0; i < 5; i++) {
    reset();
    pass();
  }
  const samples = [];
  for (let i = 0; i < SAMPLES; i++) {
    reset();
    const start = process.hrtime.bigint();
    pass();
    samples.push(Number(process.hrtime.bigint() - start) / ops);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[samples.length >> 1], best: samples[0] };
}

/** A deterministic random source (mulberry32), so every run measures the same updates. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Bids on even ticks below MID, asks on even ticks above: the odd ticks are free for inserts. */
function initialLevels(depth) {
  const bids = [];
  const asks = [];
  for (let i = 0; i < depth; i++) {
    bids.push([MID - (2 * i + 1) * TICK, 1 + (i % 7)]);
    asks.push([MID + (2 * i + 1) * TICK, 1 + (i % 5)]);
  }
  return { bids, asks };
}

/**
 * `batches` updates of 10 levels each, generated against a model of the book so that every removal
 * hits a level that exists and every insert a price that does not. Per batch: 5 size changes within
 * the best 10 levels, 2 inserts and 2 removals within the best 20, 1 size change at a random depth.
 * Returns flat arrays: side (0 bid, 1 ask), price, size.
 */
function nearTouchUpdates(depth, batches, seed) {
  const next = random(seed);
  const present = { bid: [], ask: [] }; // prices, best first
  const { bids, asks } = initialLevels(depth);
  present.bid = bids.map(([p]) => p);
  present.ask = asks.map(([p]) => p);
  const sides = [];
  const prices = [];
  const sizes = [];
  const push = (side, price, size) => {
    sides.push(side === 'bid' ? 0 : 1);
    prices.push(price);
    sizes.push(size);
  };
  const sizeOf = () => Math.round(next() * 1e6) / 1e4 + 0.0001;
  for (let b = 0; b < batches; b++) {
    for (let k = 0; k < 10; k++) {
      const side = next() < 0.5 ? 'bid' : 'ask';
      const levels = present[side];
      const better = side === 'bid' ? (a, c) => a > c : (a, c) => a < c;
      if (k < 5) {
        push(side, levels[Math.floor(next() * 10)], sizeOf());
      } else if (k < 7) {
        // Insert into the first free tick found within the best 20 levels.
        const from = Math.floor(next() * 19);
        const step = side === 'bid' ? -TICK : TICK;
        let price = levels[from] + step;
        while (levels.includes(price)) price += step;
        let at = 0;
        while (at < levels.length && better(levels[at], price)) at++;
        levels.splice(at, 0, price);
        push(side, price, sizeOf());
      } else if (k < 9) {
        const at = Math.floor(next() * 20);
        push(side, levels[at], 0);
        levels.splice(at, 1);
      } else {
        push(side, levels[Math.floor(next() * levels.length)], sizeOf());
      }
    }
  }
  return {
    sides: Uint8Array.from(sides),
    prices: Float64Array.from(prices),
    sizes: Float64Array.from(sizes),
  };
}

/** 10-level batches of inserts and removals at uniformly random depth: the worst case for moving entries. */
function deepUpdates(depth, batches, seed) {
  const next = random(seed);
  const { bids } = initialLevels(depth);
  const levels = bids.map(([p]) => p);
  const sides = [];
  const prices = [];
  const sizes = [];
  for (let i = 0; i < batches * 10; i++) {
    const at = Math.floor(next() * levels.length);
    sides.push(0);
    if (i % 2 === 0) {
      // Insert on the free tick just below the level at `at`.
      const price = levels[at] - TICK;
      if (levels.includes(price)) {
        prices.push(levels[at]);
        sizes.push(2);
        continue;
      }
      levels.splice(at + 1, 0, price);
      prices.push(price);
      sizes.push(3);
    } else {
      prices.push(levels[at]);
      sizes.push(0);
      levels.splice(at, 1);
    }
  }
  return {
    sides: Uint8Array.from(sides),
    prices: Float64Array.from(prices),
    sizes: Float64Array.from(sizes),
  };
}

function updateCase(depth, updates) {
  const { bids, asks } = initialLevels(depth);
  const book = new OrderBook();
  const { sides, prices, sizes } = updates;
  const count = sides.length;
  const nsPerLevel = measure(
    count,
    () => {
      for (let i = 0; i < count; i++) book.set(sides[i] === 0 ? 'bid' : 'ask', prices[i], sizes[i]);
    },
    () => book.applySnapshot(bids, asks),
  );
  sink += book.depth('bid');
  return nsPerLevel;
}

const rows = [];
/** `opsPerCall` scales a per-level measurement to the operation named (a 10-level update). */
const row = (name, ns, { opsPerCall = 1, levels } = {}) =>
  rows.push({
    name,
    median: ns.median * opsPerCall,
    best: ns.best * opsPerCall,
    perLevel: levels === undefined ? undefined : (ns.median * opsPerCall) / levels,
  });

for (const depth of [1_000, 5_000]) {
  const ns = updateCase(depth, nearTouchUpdates(depth, 1_000, depth));
  row(`10-level update, near touch, ${depth} levels/side`, ns, { opsPerCall: 10, levels: 10 });
}
for (const depth of [1_000, 5_000]) {
  const ns = updateCase(depth, deepUpdates(depth, 1_000, depth + 1));
  row(`10 inserts/removals at random depth, ${depth} levels/side`, ns, { opsPerCall: 10, levels: 10 });
}

{
  const { bids, asks } = initialLevels(1_000);
  const book = new OrderBook();
  const ns = measure(100, () => {
    for (let i = 0; i < 100; i++) book.applySnapshot(bids, asks);
  });
  row('applySnapshot, 1000 levels/side (best first)', ns, { levels: 2_000 });
}

{
  const { bids, asks } = initialLevels(1_000);
  const book = new OrderBook();
  book.applySnapshot(bids, asks);
  const ns = measure(10_000, () => {
    for (let i = 0; i < 10_000; i++) sink += book.top(i & 1 ? 'bid' : 'ask', 20).length;
  });
  row('top(20), 1000 levels/side', ns);

  // A size that walks ~10 levels: the sizes cycle 1..7 on bids and 1..5 on asks.
  const bidSize = bids.slice(0, 9).reduce((sum, [, s]) => sum + s, 0) + 0.5;
  const askSize = asks.slice(0, 9).reduce((sum, [, s]) => sum + s, 0) + 0.5;
  if (book.vwap('bid', bidSize).levels !== 10 || book.vwap('ask', askSize).levels !== 10) {
    throw new Error('vwap bench sizes do not walk 10 levels');
  }
  const vwapNs = measure(10_000, () => {
    for (let i = 0; i < 10_000; i++) {
      sink += i & 1 ? book.vwap('bid', bidSize).averagePrice : book.vwap('ask', askSize).averagePrice;
    }
  });
  row('vwap walking 10 levels, 1000 levels/side', vwapNs);
}

{
  const { bids, asks } = initialLevels(1_000);
  const live = createLiveBook({ exchange: 'bench', symbol: 'BTC/USDT', nativeSymbol: 'BTCUSDT' });
  live.book.applySnapshot(bids, asks);
  const best = bids[0][0];
  const changed = measure(10_000, () => {
    for (let i = 0; i < 10_000; i++) {
      live.book.set('bid', best, 1 + (i & 1));
      sink += live.snapshot(20).bids.length;
    }
  });
  row('set best + snapshot(20) (top 20 changed)', changed);
  const deep = bids[500][0];
  const belowTop = measure(10_000, () => {
    for (let i = 0; i < 10_000; i++) {
      live.book.set('bid', deep, 1 + (i & 1));
      live.recordUpdate(i, i, i);
      sink += live.snapshot(20).bids.length;
    }
  });
  row('set level 500 + snapshot(20) (top 20 unchanged, new metadata)', belowTop);
  const cached = measure(10_000, () => {
    for (let i = 0; i < 10_000; i++) sink += live.snapshot(20).asks.length;
  });
  row('snapshot(20) again, unchanged (cached)', cached);
}

const cpus = os.cpus();
console.log(
  `@arbitrage/core order-book bench — node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ` +
    `${os.platform()} ${os.arch()}, ${SAMPLES} timed samples per case, load average ${LOAD_AT_START.toFixed(1)} at start\n`,
);
const width = Math.max(...rows.map((r) => r.name.length));
const cell = (value) => (value === undefined ? '' : value.toFixed(1)).padStart(8);
console.log(`| ${'case'.padEnd(width)} | ns/op median | ns/op best | ns/level (median) |`);
console.log(`| ${'-'.repeat(width)} | -----------: | ---------: | ----------------: |`);
for (const { name, median, best, perLevel } of rows) {
  console.log(
    `| ${name.padEnd(width)} | ${cell(median).padStart(12)} | ${cell(best).padStart(10)} | ${cell(perLevel).padStart(17)} |`,
  );
}
if (sink === 42) console.log('');
