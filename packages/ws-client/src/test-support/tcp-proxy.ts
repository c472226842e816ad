import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * How the proxy treats bytes:
 * - `pass`: forwards as they come;
 * - `slice`: server→client bytes go one byte per write, a tick apart (frame headers and payloads
 *   split everywhere);
 * - `coalesce`: server→client bytes are held and written in one go every `coalesceMs` (many
 *   frames in one TCP segment);
 * - `blackhole`: swallows bytes both ways while keeping the sockets open (half-open link);
 * - `downstream-blackhole`: swallows server→client bytes only.
 */
export type ProxyMode = 'pass' | 'slice' | 'coalesce' | 'blackhole' | 'downstream-blackhole';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  pending: Buffer[];
  pumping: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** A TCP fault proxy on 127.0.0.1 port 0 in front of `targetPort`, for slicing and blackholes. */
export class TcpProxy {
  mode: ProxyMode;
  coalesceMs = 30;
  /** TCP writes made towards clients, to show that slicing and coalescing happened. */
  downstreamWrites = 0;
  private readonly pairs = new Set<Pair>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    mode: ProxyMode,
  ) {
    this.mode = mode;
  }

  static async start(targetPort: number, mode: ProxyMode = 'pass'): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new TcpProxy(server, (server.address() as AddressInfo).port, mode);
    server.on('connection', (client) => proxy.accept(client, targetPort));
    return proxy;
  }

  url(path = '/ws'): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  get openPairs(): number {
    return this.pairs.size;
  }

  /** Resets every proxied connection on both sides (the client sees close 1006). */
  resetAll(): void {
    for (const pair of this.pairs) {
      pair.client.resetAndDestroy();
      pair.upstream.resetAndDestroy();
    }
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
      clearTimeout(pair.timer);
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, targetPort: number): void {
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: Pair = { client, upstream, pending: [], pumping: false, timer: undefined };
    this.pairs.add(pair);
    const end = (): void => {
      if (!this.pairs.delete(pair)) return;
      clearTimeout(pair.timer);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.on('data', (chunk: Buffer) => {
      if (this.mode === 'blackhole') return;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => this.downstream(pair, chunk));
  }

  private downstream(pair: Pair, chunk: Buffer): void {
    switch (this.mode) {
      case 'blackhole':
      case 'downstream-blackhole':
        return;
      case 'pass':
        this.downstreamWrites++;
        pair.client.write(chunk);
        return;
      case 'slice':
        pair.pending.push(chunk);
        if (!pair.pumping) this.pumpBytes(pair);
        return;
      case 'coalesce':
        pair.pending.push(chunk);
        pair.timer ??= setTimeout(() => {
          pair.timer = undefined;
          const all = Buffer.concat(pair.pending);
          pair.pending = [];
          if (pair.client.destroyed) return;
          this.downstreamWrites++;
          pair.client.write(all);
        }, this.coalesceMs);
        return;
    }
  }

  private pumpBytes(pair: Pair): void {
    const first = pair.pending[0];
    if (first === undefined || pair.client.destroyed) {
      pair.pumping = false;
      return;
    }
    pair.pumping = true;
    this.downstreamWrites++;
    pair.client.write(first.subarray(0, 1));
    if (first.length > 1) pair.pending[0] = first.subarray(1);
    else pair.pending.shift();
    setImmediate(() => this.pumpBytes(pair));
  }
}
