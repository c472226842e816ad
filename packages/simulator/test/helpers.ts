import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { type Simulator, type SimulatorOptions, startSimulator } from '../src/index.js';

/** Generous bound for real-socket waits on a loaded 2-core machine. */
export const WAIT_MS = 4000;

const running = new Set<Simulator>();
const clients = new Set<TestClient>();

afterEach(async () => {
  for (const client of clients) client.ws.terminate();
  clients.clear();
  await Promise.all([...running].map((sim) => sim.stop()));
  running.clear();
});

/** A simulator stopped automatically after the test (paused unless autoStart is given). */
export async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ autoStart: false, ...options });
  running.add(sim);
  return sim;
}

export interface Received {
  readonly text: string;
  readonly isBinary: boolean;
}

/** A plain `ws` client that records every frame, pings and close. */
export class TestClient {
  readonly received: Received[] = [];
  readonly pings: Buffer[] = [];
  closeCode: number | undefined;
  closeReason = '';
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;
  private cursor = 0;

  constructor(readonly ws: WebSocket) {
    clients.add(this);
    ws.on('message', (data, isBinary) => {
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      this.received.push({ text: buffer.toString('utf8'), isBinary });
    });
    ws.on('ping', (payload) => this.pings.push(payload));
    ws.on('error', () => {});
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`HTTP ${response.statusCode}`)),
      );
      ws.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve(code);
      }),
    );
  }

  send(data: unknown): void {
    this.ws.send(typeof data === 'string' ? data : JSON.stringify(data));
  }

  /** The next frame (after those already taken) that satisfies `match`, parsed as JSON. */
  async next<T = unknown>(match: (message: T) => boolean = () => true, timeoutMs = WAIT_MS): Promise<T> {
    const started = Date.now();
    for (;;) {
      while (this.cursor < this.received.length) {
        const item = this.received[this.cursor++]!;
        let parsed: T;
        try {
          parsed = JSON.parse(item.text) as T;
        } catch {
          continue;
        }
        if (match(parsed)) return parsed;
      }
      if (Date.now() - started > timeoutMs) throw new Error(`no matching message within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Every frame received so far, parsed (unparseable ones skipped). */
  parsed<T = unknown>(): T[] {
    const out: T[] = [];
    for (const item of this.received) {
      try {
        out.push(JSON.parse(item.text) as T);
      } catch {
        // ignored: the caller asked for parseable frames only
      }
    }
    return out;
  }

  close(): void {
    this.ws.close();
  }
}

export async function connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
  const client = new TestClient(new WebSocket(url, options));
  await client.opened;
  return client;
}

export function connectLater(url: string, options: WebSocket.ClientOptions = {}): TestClient {
  return new TestClient(new WebSocket(url, options));
}

export async function getJson<T = unknown>(
  url: string,
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, headers: response.headers };
}

export interface DepthUpdate {
  e: 'depthUpdate';
  E: number;
  s: string;
  U: number;
  u: number;
  b: [string, string][];
  a: [string, string][];
}

export interface DepthSnapshot {
  lastUpdateId: number;
  bids: [string, string][];
  asks: [string, string][];
}

/** A naive local book following the official B5 procedure, for checking the simulator's events. */
export class LocalBook {
  readonly bids = new Map<string, number>();
  readonly asks = new Map<string, number>();
  lastUpdateId = 0;

  load(snapshot: DepthSnapshot): void {
    this.bids.clear();
    this.asks.clear();
    for (const [price, size] of snapshot.bids) this.bids.set(price, Number(size));
    for (const [price, size] of snapshot.asks) this.asks.set(price, Number(size));
    this.lastUpdateId = snapshot.lastUpdateId;
  }

  /** Applies an event; returns false when it is older than the book, throws on a gap. */
  apply(event: DepthUpdate): boolean {
    if (event.u <= this.lastUpdateId) return false;
    if (event.U > this.lastUpdateId + 1)
      throw new Error(`gap: book at ${this.lastUpdateId}, event U=${event.U}`);
    for (const [price, size] of event.b) this.set(this.bids, price, size);
    for (const [price, size] of event.a) this.set(this.asks, price, size);
    this.lastUpdateId = event.u;
    return true;
  }

  top(side: 'bids' | 'asks', n: number): [number, number][] {
    const levels = [...this[side].entries()].map(([price, size]): [number, number] => [Number(price), size]);
    levels.sort((x, y) => (side === 'bids' ? y[0] - x[0] : x[0] - y[0]));
    return levels.slice(0, n);
  }

  private set(side: Map<string, number>, price: string, size: string): void {
    const value = Number(size);
    if (value === 0) side.delete(price);
    else side.set(price, value);
  }
}
