// Upbit order-book throughput on loopback: this package's stream vs the floor (bare `ws` + JSON.parse
// of every frame). A child process serves N 30-unit DEFAULT binary frames (pre-built, increasing
// timestamps) as fast as the socket takes them; the parent runs one client at a time and reports
// frames handled per second and the client's CPU time per frame (user + system).
// Run after a build: node packages/exchange-upbit/scripts/throughput.mjs [frames=50000]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';

const FRAMES = Number(process.argv[3] ?? process.argv[2] ?? 50_000) || 50_000;

function frameParts() {
  const units = [];
  for (let i = 0; i < 30; i++) {
    units.push(
      `{"ask_price":${116_539_000 + i * 1_000},"bid_price":${116_538_000 - i * 1_000},` +
        `"ask_size":${((i * 104_729) % 9_999_999) / 1e8 + 0.0001},"bid_size":${((i * 7_919) % 9_999_999) / 1e8 + 0.0002}}`,
    );
  }
  const head = '{"type":"orderbook","code":"KRW-BTC","timestamp":';
  const tail = `,"total_ask_size":1.5,"total_bid_size":2.5,"orderbook_units":[${units.join(',')}],"stream_type":"REALTIME","level":0}`;
  return { head: Buffer.from(head), tail: Buffer.from(tail) };
}

async function serve() {
  const { head, tail } = frameParts();
  const base = 1_790_000_000_000;
  const frames = Array.from({ length: FRAMES }, (_, i) =>
    Buffer.concat([head, Buffer.from(String(base + i)), tail]),
  );
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    path: '/websocket/v1',
    perMessageDeflate: false,
  });
  await once(wss, 'listening');
  wss.on('connection', (socket) => {
    socket.once('message', async () => {
      let sent = 0;
      while (sent < FRAMES && socket.readyState === WebSocket.OPEN) {
        for (let batch = 0; batch < 256 && sent < FRAMES; batch++, sent++)
          socket.send(frames[sent], { binary: true });
        if (socket.bufferedAmount > 1 << 20) await new Promise((resolve) => setTimeout(resolve, 1));
        else await new Promise((resolve) => setImmediate(resolve));
      }
    });
  });
  process.send?.({ port: wss.address().port });
}

async function floor(url) {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  await once(socket, 'open');
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let count = 0;
  let checksum = 0;
  const done = new Promise((resolve) => {
    socket.on('message', (data) => {
      checksum += JSON.parse(data.toString('utf8')).timestamp;
      if (++count === FRAMES) resolve();
    });
  });
  socket.send('[{"ticket":"floor"},{"type":"orderbook","codes":["KRW-BTC"]}]');
  await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  socket.terminate();
  return { perSecond: FRAMES / seconds, cpuMicrosPerFrame: (used.user + used.system) / FRAMES, checksum };
}

async function ours(url) {
  const { createUpbitExchange } = await import('../dist/index.js');
  const exchange = createUpbitExchange({ wsUrl: url, stream: { staleAfterMs: 60_000 } });
  const stream = exchange.createOrderBookStream({ symbols: ['BTC/KRW'] });
  let count = 0;
  let started = 0n;
  let cpu;
  const done = new Promise((resolve) => {
    stream.onUpdate((book) => {
      if (count === 0) {
        started = process.hrtime.bigint();
        cpu = process.cpuUsage();
      }
      if (++count === FRAMES) resolve(book.book.bestPrice('ask'));
    });
  });
  await stream.start();
  const best = await done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  await exchange.close();
  return {
    perSecond: (FRAMES - 1) / seconds,
    cpuMicrosPerFrame: (used.user + used.system) / (FRAMES - 1),
    best,
  };
}

async function main() {
  const runs = [];
  for (const [name, client] of [
    ['floor: ws + JSON.parse', floor],
    ['@arbitrage/exchange-upbit stream', ours],
    ['floor: ws + JSON.parse', floor],
    ['@arbitrage/exchange-upbit stream', ours],
  ]) {
    const child = fork(fileURLToPath(import.meta.url), ['server', String(FRAMES)]);
    const [{ port }] = await once(child, 'message');
    const result = await client(`ws://127.0.0.1:${port}/websocket/v1`);
    child.kill();
    runs.push({
      name,
      framesPerSecond: Math.round(result.perSecond),
      cpuMicrosPerFrame: Number(result.cpuMicrosPerFrame.toFixed(2)),
    });
  }
  console.log(JSON.stringify({ frames: FRAMES, node: process.version, runs }, null, 2));
}

if (process.argv[2] === 'server') await serve();
else await main();
