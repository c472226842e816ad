import { createServer, type Server, Socket } from 'node:net';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly delayed: Buffer[];
  readonly timers: Set<NodeJS.Timeout>;
}

/**
 * A loopback TCP proxy that delays server→client bytes by `latencyMs` (order kept: each chunk
 * waits behind the earlier ones), for lag tests (faults.md 6). Set `targetPort` before the first
 * connection; client→server bytes pass at once.
 */
export class LatencyProxy {
  latencyMs = 0;
  targetPort = 0;
  private readonly pairs = new Set<Pair>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<LatencyProxy> {
    const server = createServer();
    const proxy = new LatencyProxy(server);
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** Connections open now. */
  get connections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    for (const pair of [...this.pairs]) this.drop(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = new Socket();
    const pair: Pair = { client, upstream, delayed: [], timers: new Set() };
    this.pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    upstream.connect(this.targetPort, '127.0.0.1');
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => this.delay(pair, chunk));
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.drop(pair));
      socket.on('close', () => this.drop(pair));
    }
  }

  private delay(pair: Pair, chunk: Buffer): void {
    pair.delayed.push(chunk);
    const timer = setTimeout(() => {
      pair.timers.delete(timer);
      const next = pair.delayed.shift();
      if (next && !pair.client.destroyed) pair.client.write(next);
    }, this.latencyMs);
    pair.timers.add(timer);
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    for (const timer of pair.timers) clearTimeout(timer);
    pair.timers.clear();
    pair.client.destroy();
    pair.upstream.destroy();
  }
}
