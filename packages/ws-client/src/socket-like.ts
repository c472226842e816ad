import type { ClientOptions } from 'ws';

/** `ws`'s WebSocket.OPEN: the readyState of an open socket. */
export const SOCKET_OPEN = 1;

/**
 * The part of a `ws` WebSocket the client uses. A `ws` WebSocket is one; a replay or test transport
 * provides the same events ('open', 'message' (data, isBinary), 'ping', 'pong', 'error', 'close'
 * (code, reason), 'unexpected-response') and methods.
 */
export interface SocketLike {
  readonly readyState: number;
  on(event: string, listener: (...args: never[]) => void): unknown;
  send(data: string | Buffer): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  removeAllListeners(): unknown;
}

/** Opens the socket for a dial: `new WebSocket(url, options)` unless a transport is injected. */
export type SocketFactory = (url: string, options: ClientOptions) => SocketLike;
