import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

/**
 * The benchmark's consumer, in a worker thread (its own event loop, on the other core): counts
 * diff-depth events and checks U/u continuity with a cheap scan (no JSON.parse unless asked).
 */
interface Input {
  readonly url: string;
  readonly count: number;
  readonly parse: boolean;
}

const { url, count, parse } = workerData as Input;
const port = parentPort;
if (!port) throw new Error('push-client must run in a worker thread');

const ws = new WebSocket(url, { perMessageDeflate: false });
let received = 0;
let gaps = 0;
let lastU = -1;
let bytes = 0;

function ids(text: string): [number, number] {
  if (parse) {
    const event = JSON.parse(text) as { U: number; u: number };
    return [event.U, event.u];
  }
  const first = text.indexOf('"U":') + 4;
  const firstEnd = text.indexOf(',', first);
  const last = text.indexOf('"u":', firstEnd) + 4;
  const lastEnd = text.indexOf(',', last);
  return [Number(text.slice(first, firstEnd)), Number(text.slice(last, lastEnd))];
}

ws.on('open', () => port.postMessage({ type: 'ready' }));
ws.on('message', (data: Buffer) => {
  bytes += data.length;
  const [first, final] = ids(data.toString());
  if (lastU >= 0 && first !== lastU + 1) gaps++;
  lastU = final;
  received++;
  if (received === count) {
    port.postMessage({ type: 'done', received, gaps, bytes });
    ws.close();
  }
});
ws.on('error', (error) => port.postMessage({ type: 'error', message: error.message }));
