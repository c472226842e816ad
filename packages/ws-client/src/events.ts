import type { WebSocketError } from './errors.js';

/**
 * Lifecycle of a client:
 * `idle` (never connected) → `connecting` (dialling / handshake) → `open` → on a close the client
 * did not ask for: `reconnecting` (waiting out the backoff) → `connecting` → ... ;
 * `disconnect()` or giving up → `closed` (and `connect()` may start it again).
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface StateChangeEvent {
  readonly state: ConnectionState;
  readonly previous: ConnectionState;
  /** Why, in words: "handshake complete", "server closed with 1000", "disconnect() called", ... */
  readonly reason: string;
  readonly generation: number;
}

export interface OpenEvent {
  readonly generation: number;
  readonly url: string;
  /** Reconnect attempt that opened (0 = first connection, or first after a healthy one). */
  readonly attempt: number;
}

export interface CloseEvent {
  readonly generation: number;
  /** WebSocket close code: 1000 clean, 1006 abnormal (no close frame), 1008 policy, ... */
  readonly code: number;
  readonly reason: string;
  /** True when `disconnect()` asked for it; false means the client will reconnect. */
  readonly requested: boolean;
}

export interface ReconnectEvent {
  /** Attempt number of the connection about to be made (1 = first retry since the last healthy one). */
  readonly attempt: number;
  readonly delayMs: number;
  /** The error that ended the previous connection or attempt. */
  readonly error: WebSocketError;
}

/** Events of a `BaseWebSocketClient`; each listener gets one payload. */
export interface WebSocketClientEvents {
  state: StateChangeEvent;
  error: WebSocketError;
  open: OpenEvent;
  close: CloseEvent;
  reconnect: ReconnectEvent;
}

/**
 * Per-message facts handed to `onMessage`. The client reuses one object per connection, so read
 * it during the call and copy what you need to keep.
 */
export interface MessageMeta {
  readonly generation: number;
  /** Local clock when the frame was handled, ms since epoch. */
  readonly receivedAt: number;
  readonly isBinary: boolean;
  /** Payload size in bytes. */
  readonly bytes: number;
}
