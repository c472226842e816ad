// Inbound cost of BaseWebSocketClient against plain `ws` + JSON.parse on the same feed.
// Run: pnpm --filter @arbitrage/ws-client bench   (builds first; the server runs in a worker thread)
// Throughput is bounded by the sending worker; the client's own cost is the main thread's busy time
// (event-loop utilisation) divided by the messages it handled.
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { BaseWebSocketClient } from '../dist/index.js';

const MESSAGES = Number(process.env.MESSAGES ?? 200_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);

const serverSource = `
const { parentPort } = require('node:worker_threads');
const { WebSocketServer } = require(${JSON.stringify(
  import.meta
    .resolve('ws')
    .replace('file://', '')
    .replace(/wrapper\.mjs$/, 'index.js'),
)});
const payload = JSON.stringify({
  e: 'depthUpdate', E: 1700000000000, s: 'BTCUSDT', U: 1000, u: 1005,
  b: [['43000.10', '0.500'], ['42999.90', '1.250'], ['42999.00', '0.000']],
  a: [['43000.20', '0.750'], ['43001.00', '2.000']],
});
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false }, () => {
  parentPort.postMessage({ port: wss.address().port, bytes: Buffer.byteLength(payload) });
});
wss.on('connection', (socket) => {
  socket.once('message', () => {
    let left = ${MESSAGES};
    const pump = () => {
      while (left > 0 && socket.bufferedAmount < 4 * 1024 * 1024) { socket.send(payload); left--; }
      if (left > 0) setImmediate(pump); else socket.send('{"done":true}');
    };
    pump();
  });
});
`;

function startServer() {
  const worker = new Worker(serverSource, { eval: true });
  return new Promise((resolve) => worker.once('message', (info) => resolve({ worker, ...info })));
}

async function runPlain(port) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  let count = 0;
  let started = 0;
  await new Promise((resolve) => socket.once('open', resolve));
  const done = new Promise((resolve) => {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (count === 0) started = performance.now();
      if (message.done) resolve(performance.now() - started);
      else count++;
    });
  });
  socket.send('go');
  const elapsed = await done;
  socket.terminate();
  return { count, elapsed };
}

class CountingClient extends BaseWebSocketClient {
  count = 0;
  started = 0;
  finished = undefined;
  subscribeMessages() {
    return ['go'];
  }
  unsubscribeMessages() {
    return [];
  }
  onMessage(message) {
    if (this.count === 0) this.started = performance.now();
    if (message.done) this.finished?.(performance.now() - this.started);
    else this.count++;
  }
}

async function runBase(port) {
  const client = new CountingClient({ url: `ws://127.0.0.1:${port}`, name: 'bench', heartbeat: false });
  const done = new Promise((resolve) => {
    client.finished = resolve;
  });
  client.subscribe(['all']);
  await client.connect();
  const elapsed = await done;
  const count = client.count;
  await client.disconnect();
  return { count, elapsed };
}

const { worker, port, bytes } = await startServer();
const results = { plain: [], base: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of [
    ['plain', runPlain],
    ['base', runBase],
  ]) {
    const before = performance.eventLoopUtilization();
    const { count, elapsed } = await run(port);
    const busy = performance.eventLoopUtilization(before);
    if (count !== MESSAGES) throw new Error(`${name}: got ${count} of ${MESSAGES}`);
    results[name].push({ rate: MESSAGES / (elapsed / 1000), nsPerMessage: (busy.active * 1e6) / MESSAGES });
  }
}
await worker.terminate();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = (name) => ({
  rate: median(results[name].map((r) => r.rate)),
  ns: median(results[name].map((r) => r.nsPerMessage)),
});
const plain = summary('plain');
const base = summary('base');
const line = (label, { rate, ns }) =>
  `  ${label.padEnd(20)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} msg/s   client busy ${ns.toFixed(0).padStart(5)} ns/msg`;
console.log(`${MESSAGES} messages of ${bytes} bytes, ${ROUNDS} rounds, medians (node ${process.version}):`);
console.log(line('ws + JSON.parse', plain));
console.log(line('BaseWebSocketClient', base));
console.log(`  overhead             ${(base.ns - plain.ns).toFixed(0)} ns/msg of client busy time`);
