import type { ExchangeId, WireTap } from '@arbitrage/core';

/** Where recorded traffic goes: the recording writer (docs/recording.md). Calls never throw. */
export interface RecordingSink {
  opened(exchange: ExchangeId, connection: number, at: number, url: string): void;
  frame(exchange: ExchangeId, connection: number, receivedAt: number, data: Buffer, binary: boolean): void;
  closed(exchange: ExchangeId, connection: number, at: number, code: number): void;
  rest(exchange: ExchangeId, at: number, status: number, method: string, path: string, body: Buffer): void;
}

/**
 * The plugins' wire tap for a recording: numbers each exchange's WebSocket connections 1, 2, 3 … in
 * the order they open (a plugin may run several sockets; their generations repeat) and forwards
 * every frame, open, close and REST answer to the sink.
 */
export class RecordingTap implements WireTap {
  private readonly lastConnection = new Map<ExchangeId, number>();

  constructor(private readonly sink: RecordingSink) {}

  opened(exchange: ExchangeId, at: number, url: string): number {
    const connection = (this.lastConnection.get(exchange) ?? 0) + 1;
    this.lastConnection.set(exchange, connection);
    this.sink.opened(exchange, connection, at, url);
    return connection;
  }

  frame(exchange: ExchangeId, connection: number, receivedAt: number, data: Buffer, binary: boolean): void {
    this.sink.frame(exchange, connection, receivedAt, data, binary);
  }

  closed(exchange: ExchangeId, connection: number, at: number, code: number): void {
    this.sink.closed(exchange, connection, at, code);
  }

  rest(exchange: ExchangeId, at: number, status: number, method: string, path: string, body: Buffer): void {
    this.sink.rest(exchange, at, status, method, path, body);
  }
}
