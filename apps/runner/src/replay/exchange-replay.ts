import type { ExchangeTransport, TransportRequest, TransportResponse } from '@arbitrage/core';
import { NetworkError } from '@arbitrage/core';
import type { RecordedEntry } from '../recording/index.js';
import { ReplaySocket } from './replay-socket.js';

/** What one exchange's replay did; the backtest summary reports it. */
export interface ExchangeReplayStats {
  frames: number;
  /** Frames of a recorded connection no socket of the plugin was playing (its dials diverged). */
  unroutedFrames: number;
  connections: number;
  restAnswered: number;
  /** Requests the recording had no answer for (answered as a network failure). */
  restUnanswered: number;
  /** Recorded answers no request asked for. */
  restUnclaimed: number;
}

interface PendingRequest {
  readonly key: string;
  resolve(response: TransportResponse): void;
  reject(error: Error): void;
}

interface RecordedConnection {
  socket: ReplaySocket | undefined;
  closed: { code: number } | undefined;
  /** Frames that arrived before a socket dialled for this connection, delivered when one does. */
  early: { data: Buffer; binary: boolean }[];
}

/**
 * One exchange during replay: the plugin's sockets are bound, in dial order, to the recorded
 * connections in open order; each recorded frame goes to its connection's socket; each REST request
 * is answered by the next recorded answer to the same method and path (at the recorded time, or at
 * once if the request comes later than it did when recorded).
 */
export class ExchangeReplay {
  readonly stats: ExchangeReplayStats = {
    frames: 0,
    unroutedFrames: 0,
    connections: 0,
    restAnswered: 0,
    restUnanswered: 0,
    restUnclaimed: 0,
  };
  private readonly dialled: ReplaySocket[] = [];
  private readonly connections = new Map<number, RecordedConnection>();
  /** Recorded connections opened before any socket dialled for them, oldest first. */
  private readonly unclaimedOpens: number[] = [];
  private readonly pending: PendingRequest[] = [];
  private readonly unclaimedAnswers: { key: string; entry: RecordedEntry }[] = [];

  readonly transport: ExchangeTransport;

  constructor(
    readonly exchange: string,
    private readonly defer: (task: () => void) => void,
  ) {
    this.transport = {
      openSocket: (url) => this.dial(url),
      request: (request) => this.request(request),
      // Reconnect jitter from a fixed seed: a replay with reconnects comes out the same every time.
      random: seededRandom(exchange),
    };
  }

  /** Applies one recorded entry of this exchange. */
  apply(entry: RecordedEntry): void {
    switch (entry.kind) {
      case 'w':
      case 'u':
      case 'b':
        this.frame(entry.conn!, entry.payload as Buffer, entry.kind !== 'w');
        return;
      case 'o':
        this.opened(entry.conn!);
        return;
      case 'c':
        this.closed(entry.conn!, Number(entry.meta) || 1006);
        return;
      case 'r':
      case 'R':
        this.answer(entry);
        return;
    }
  }

  /** Fails what is still waiting when the recording has ended. */
  end(): void {
    for (const request of this.pending.splice(0)) {
      this.stats.restUnanswered++;
      request.reject(new NetworkError(`${request.key}: the recording ended before an answer (replay)`));
    }
    this.stats.restUnclaimed += this.unclaimedAnswers.length;
    this.unclaimedAnswers.length = 0;
  }

  private dial(url: string): ReplaySocket {
    const socket = new ReplaySocket(url, this.defer);
    const waiting = this.unclaimedOpens.shift();
    if (waiting === undefined) this.dialled.push(socket);
    else this.defer(() => this.bind(waiting, socket));
    return socket;
  }

  private opened(id: number): void {
    this.stats.connections++;
    const connection: RecordedConnection = { socket: undefined, closed: undefined, early: [] };
    this.connections.set(id, connection);
    const socket = this.dialled.shift();
    if (socket) this.bind(id, socket);
    else this.unclaimedOpens.push(id);
  }

  private bind(id: number, socket: ReplaySocket): void {
    const connection = this.connections.get(id);
    if (!connection || socket.readyState !== 0) return;
    connection.socket = socket;
    socket.connection = id;
    socket.open();
    for (const frame of connection.early.splice(0)) socket.deliver(frame.data, frame.binary);
    if (connection.closed) socket.finish(connection.closed.code, 'recorded close');
  }

  private frame(id: number, data: Buffer, binary: boolean): void {
    this.stats.frames++;
    let connection = this.connections.get(id);
    if (!connection) {
      // A recording that starts mid-connection: the connection counts as opened by its first frame.
      this.opened(id);
      connection = this.connections.get(id)!;
    }
    if (connection.socket) connection.socket.deliver(data, binary);
    else if (!connection.closed) connection.early.push({ data, binary });
    else this.stats.unroutedFrames++;
  }

  private closed(id: number, code: number): void {
    const connection = this.connections.get(id);
    if (!connection) return;
    connection.closed = { code };
    connection.socket?.finish(code, 'recorded close');
    const unclaimed = this.unclaimedOpens.indexOf(id);
    if (unclaimed >= 0) {
      this.unclaimedOpens.splice(unclaimed, 1);
      this.stats.unroutedFrames += connection.early.length;
      connection.early.length = 0;
    }
  }

  private request(request: TransportRequest): Promise<TransportResponse> {
    const key = `${request.method} ${request.url}`;
    const stored = this.unclaimedAnswers.findIndex((answer) => answer.key === key);
    if (stored >= 0) {
      const [answer] = this.unclaimedAnswers.splice(stored, 1);
      this.stats.restAnswered++;
      return Promise.resolve(response(answer!.entry));
    }
    return new Promise<TransportResponse>((resolve, reject) => {
      const pending: PendingRequest = { key, resolve, reject };
      this.pending.push(pending);
      request.signal.addEventListener(
        'abort',
        () => {
          const index = this.pending.indexOf(pending);
          if (index < 0) return;
          this.pending.splice(index, 1);
          reject(request.signal.reason);
        },
        { once: true },
      );
    });
  }

  private answer(entry: RecordedEntry): void {
    const space = entry.meta.indexOf(' ');
    const key = entry.meta.slice(space + 1);
    const index = this.pending.findIndex((request) => request.key === key);
    if (index < 0) {
      this.unclaimedAnswers.push({ key, entry });
      return;
    }
    const [request] = this.pending.splice(index, 1);
    this.stats.restAnswered++;
    request!.resolve(response(entry));
  }
}

function response(entry: RecordedEntry): TransportResponse {
  const status = Number(entry.meta.slice(0, entry.meta.indexOf(' ')));
  const body = typeof entry.payload === 'string' ? Buffer.from(entry.payload) : entry.payload;
  return { status, headers: { 'content-type': 'application/json' }, body };
}

/** A small deterministic PRNG (mulberry32) seeded from the exchange id. */
function seededRandom(seedText: string): () => number {
  let state = 0x9e3779b9;
  for (const char of seedText) state = Math.imul(state ^ char.charCodeAt(0), 0x85ebca6b) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
