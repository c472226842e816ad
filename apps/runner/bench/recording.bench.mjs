// Recording format benchmark over the built runner (`pnpm --filter @arbitrage/runner build` first):
//   node apps/runner/bench/recording.bench.mjs [frames]   (default 1,000,000; BENCH_LEVEL=1..9 zlib level, default 6)
// 1. the caller's cost of RecordingWriter.frame() (the hot path), in 10,000-call slices with a flush
//    between slices (as the 1 s timer would), 2. the throughput writing all frames (calls + flushes +
//    close), 3. the reader's throughput through the synchronous cursor and the async iterator.
// Payloads are Binance-like depth diffs of ~250 bytes; two exchanges, 1 frame per ms.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { openRecording, RecordingWriter } from '../dist/recording/index.js';

const FRAMES = Number(process.argv[2] ?? 1_000_000);
const SLICE = 10_000;
const T0 = Date.UTC(2026, 11, 6, 8, 0, 0);

function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(7);
const price = (base) => (base + next() * 100).toFixed(2);
const payloads = Array.from({ length: 4096 }, (_, i) =>
  Buffer.from(
    JSON.stringify({
      e: 'depthUpdate',
      E: T0 + i,
      s: 'BTCUSDT',
      U: 1000 + i * 3,
      u: 1002 + i * 3,
      b: [
        [price(97000), (next() * 2).toFixed(5)],
        [price(96900), '0.00000'],
      ],
      a: [
        [price(97100), (next() * 2).toFixed(5)],
        [price(97200), (next() * 2).toFixed(5)],
      ],
    }),
  ),
);
const bytesPerFrame = payloads.reduce((sum, payload) => sum + payload.length, 0) / payloads.length;

const dir = await mkdtemp(path.join(os.tmpdir(), 'recording-bench-'));
const out = path.join(dir, 'rec');
try {
  const writer = await RecordingWriter.open({
    dir: out,
    exchanges: { upbit: ['BTC/KRW'], binance: ['BTC/USDT'] },
    market: 'sim',
    versions: {},
    flushIntervalMs: 3_600_000, // the bench flushes between slices itself
    compressionLevel: Number(process.env.BENCH_LEVEL ?? 6),
    onError: (error) => console.error(error.message),
  });
  const sliceNs = [];
  let callNs = 0;
  let flushNs = 0;
  const started = process.hrtime.bigint();
  for (let done = 0; done < FRAMES; done += SLICE) {
    const start = process.hrtime.bigint();
    for (let i = done; i < done + SLICE && i < FRAMES; i++) {
      writer.frame(i & 1 ? 'binance' : 'upbit', 1, T0 + i, payloads[i & 4095], false);
    }
    const calls = Number(process.hrtime.bigint() - start);
    sliceNs.push(calls / SLICE);
    callNs += calls;
    const flushStart = process.hrtime.bigint();
    await writer.flush();
    flushNs += Number(process.hrtime.bigint() - flushStart);
  }
  await writer.close();
  const totalS = Number(process.hrtime.bigint() - started) / 1e9;
  let compressed = 0;
  for (const exchange of ['upbit', 'binance']) {
    for (const name of await readdir(path.join(out, exchange)))
      compressed += (await stat(path.join(out, exchange, name))).size;
  }
  sliceNs.sort((a, b) => a - b);
  const raw = FRAMES * (bytesPerFrame + 22);
  const oneShot = gzipSync(
    Buffer.concat(payloads.map((payload) => Buffer.from(`${T0}.123\tw\t1\t\t${payload}\n`))),
  ).length;
  const oneShotRatio = (payloads.length * (bytesPerFrame + 22)) / oneShot;
  console.log(
    `frames: ${FRAMES.toLocaleString('en')} of ${bytesPerFrame.toFixed(0)} B, 2 exchanges, zlib level ${process.env.BENCH_LEVEL ?? 6}, node ${process.version}, load ${os.loadavg()[0].toFixed(2)}`,
  );
  console.log(
    `frame() on the caller's path: ${(callNs / FRAMES).toFixed(0)} ns/call mean, ${sliceNs[sliceNs.length >> 1].toFixed(0)} median slice, ${sliceNs[0].toFixed(0)} best slice`,
  );
  console.log(
    `writing: ${(FRAMES / totalS).toLocaleString('en', { maximumFractionDigits: 0 })} frames/s end to end (${totalS.toFixed(2)} s; flushes ${(flushNs / 1e9).toFixed(2)} s, ${(raw / 1e6 / (flushNs / 1e9)).toFixed(0)} MB/s of lines)`,
  );
  console.log(
    `size: ${(compressed / 1e6).toFixed(1)} MB compressed, ${(raw / compressed).toFixed(1)}× (one gzip stream of the same lines: ${oneShotRatio.toFixed(1)}×)`,
  );

  const recording = await openRecording(out);
  for (let pass = 0; pass < 2; pass++) {
    let count = 0;
    let bytes = 0;
    const start = process.hrtime.bigint();
    const cursor = recording.cursor();
    for (let entry = cursor.next(); entry !== undefined; entry = cursor.next()) {
      count++;
      bytes += entry.payload.length;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(
      `reading (cursor, pass ${pass + 1}): ${(count / seconds).toLocaleString('en', { maximumFractionDigits: 0 })} entries/s (${count} entries, ${(bytes / 1e6).toFixed(0)} MB payload, ${seconds.toFixed(2)} s)`,
    );
  }
  {
    let count = 0;
    const start = process.hrtime.bigint();
    for await (const entry of recording.entries()) count += entry.kind === 'w' ? 1 : 0;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(
      `reading (async iterator): ${(count / seconds).toLocaleString('en', { maximumFractionDigits: 0 })} entries/s (${seconds.toFixed(2)} s)`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
