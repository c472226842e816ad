import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * What the proxy does with bytes:
 * - `pass`: forwards them as they come (after `latencyMs`, if set);
 * - `slice`: server→client bytes are re-written `sliceBytes` at a time, a tick apart, so WebSocket
 *   frame headers and payloads are split at every position;
 * - `coalesce`: server→client bytes are held and written in one go every `coalesceMs`;
 * - `blackhole`: swallows bytes both ways, sockets stay open (a half-open link);
 * - `downstream-blackhole`: swallows server→client bytes only (our pings still go up).
 */
export type ProxyMode = 'pass' | 'slice' | 'coalesce' | 'blackhole' | 'downstream-blackhole';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  /** Chunks waiting for their latency to pass, oldest first. */
  delayed: Buffer[];
  /** Chunks being written a slice at a time, oldest first. */
  slicing: Buffer[];
  /** Chunks held for the next coalesced write. */
  held: Buffer[];
  coalescing: boolean;
  timers: Set<NodeJS.Timeout>;
  immediate: NodeJS.Immediate | undefined;
}

export interface FaultProxyStats {
  /** Connections accepted since start. */
  accepted: number;
  /** TCP writes towards clients (slicing and coalescing show here). */
  downstreamWrites: number;
  /** Bytes swallowed by a blackhole. */
  swallowedBytes: number;
  /** Connections reset by `reset()`. */
  resets: number;
  /** HTTP requests forwarded upstream (client chunks that start a request line). */
  requests: number;
}

const REQUEST_LINE = /^(GET|POST|PUT|DELETE|HEAD) /;

/**
 * An in-process TCP fault proxy on 127.0.0.1 port 0 in front of one target port (toxiproxy is not
 * available here). Every fault applies to the connections open now and to those that follow.
 */
export class FaultProxy {
  mode: ProxyMode = 'pass';
  /** Server→client delay per chunk, in ms (order is kept). */
  latencyMs = 0;
  sliceBytes = 1;
  /** Slices written per event-loop turn in `slice` mode (each its own write, Nagle off). */
  slicesPerTurn = 128;
  coalesceMs = 30;
  readonly stats: FaultProxyStats = {
    accepted: 0,
    downstreamWrites: 0,
    swallowedBytes: 0,
    resets: 0,
    requests: 0,
  };
  private readonly pairs = new Set<Pair>();
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    /** Where connections go; may be set after start() for a target that starts later. */
    public targetPort: number,
  ) {}

  /** Starts a proxy in front of `target` (a port, or a ws:// / http:// URL on loopback). */
  static async start(target: number | string = 0): Promise<FaultProxy> {
    const targetPort = typeof target === 'number' ? target : Number(new URL(target).port);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const proxy = new FaultProxy(server, (server.address() as AddressInfo).port, targetPort);
    server.on('connection', (client) => proxy.accept(client));
    return proxy;
  }

  /** The proxy's base URL with the scheme of the target's (`ws://127.0.0.1:<port>`). */
  url(scheme: 'ws' | 'http' = 'ws'): string {
    return `${scheme}://127.0.0.1:${this.port}`;
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  /** Resets every proxied connection on both sides (the client sees 1006 at once). */
  reset(): number {
    const count = this.pairs.size;
    for (const pair of [...this.pairs]) {
      this.stats.resets++;
      pair.client.resetAndDestroy();
      pair.upstream.resetAndDestroy();
      this.drop(pair);
    }
    return count;
  }

  /** Writes raw bytes to every client as if the server had sent them (e.g. a bad WebSocket opcode). */
  inject(bytes: Buffer): number {
    for (const pair of this.pairs) pair.client.write(bytes);
    return this.pairs.size;
  }

  /** Back to a clean pass-through. */
  heal(): void {
    this.mode = 'pass';
    this.latencyMs = 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pair of [...this.pairs]) {
      pair.client.destroy();
      pair.upstream.destroy();
      this.drop(pair);
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.stats.accepted++;
    const upstream = connect(this.targetPort, '127.0.0.1');
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const pair: Pair = {
      client,
      upstream,
      delayed: [],
      slicing: [],
      held: [],
      coalescing: false,
      timers: new Set(),
      immediate: undefined,
    };
    this.pairs.add(pair);
    const end = (): void => {
      if (!this.pairs.has(pair)) return;
      this.drop(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.on('data', (chunk: Buffer) => {
      if (this.mode === 'blackhole') {
        this.stats.swallowedBytes += chunk.length;
        return;
      }
      if (REQUEST_LINE.test(chunk.subarray(0, 8).toString('latin1'))) this.stats.requests++;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => this.downstream(pair, chunk));
  }

  private drop(pair: Pair): void {
    this.pairs.delete(pair);
    for (const timer of pair.timers) clearTimeout(timer);
    pair.timers.clear();
    if (pair.immediate) clearImmediate(pair.immediate);
    pair.immediate = undefined;
    pair.delayed = [];
    pair.slicing = [];
    pair.held = [];
  }

  private later(pair: Pair, ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      pair.timers.delete(timer);
      run();
    }, ms);
    pair.timers.add(timer);
  }

  private write(pair: Pair, chunk: Buffer): void {
    if (pair.client.destroyed) return;
    this.stats.downstreamWrites++;
    pair.client.write(chunk);
  }

  private downstream(pair: Pair, chunk: Buffer): void {
    if (this.mode === 'blackhole' || this.mode === 'downstream-blackhole') {
      this.stats.swallowedBytes += chunk.length;
      return;
    }
    if (this.latencyMs > 0 || pair.delayed.length > 0) {
      // Queued behind earlier delayed chunks, so the byte order never changes.
      pair.delayed.push(chunk);
      this.later(pair, this.latencyMs, () => {
        const next = pair.delayed.shift();
        if (next) this.forward(pair, next);
      });
      return;
    }
    this.forward(pair, chunk);
  }

  private forward(pair: Pair, chunk: Buffer): void {
    if (this.mode === 'slice' || pair.slicing.length > 0) {
      pair.slicing.push(chunk);
      if (pair.immediate === undefined) this.sliceNext(pair);
      return;
    }
    if (this.mode === 'coalesce' || pair.coalescing) {
      pair.held.push(chunk);
      if (pair.coalescing) return;
      pair.coalescing = true;
      this.later(pair, this.coalesceMs, () => {
        pair.coalescing = false;
        const all = Buffer.concat(pair.held);
        pair.held = [];
        this.write(pair, all);
      });
      return;
    }
    this.write(pair, chunk);
  }

  /** Writes the queued chunks `sliceBytes` at a time, `slicesPerTurn` separate writes per event-loop turn. */
  private sliceNext(pair: Pair): void {
    pair.immediate = undefined;
    if (pair.slicing.length === 0 || !this.pairs.has(pair)) return;
    const size = Math.max(1, this.sliceBytes);
    for (let n = 0; n < this.slicesPerTurn; n++) {
      const chunk = pair.slicing[0];
      if (chunk === undefined) break;
      this.write(pair, chunk.subarray(0, size));
      if (chunk.length > size) pair.slicing[0] = chunk.subarray(size);
      else pair.slicing.shift();
    }
    if (pair.slicing.length > 0) pair.immediate = setImmediate(() => this.sliceNext(pair));
  }
}
