import type { ConnectionState } from './events.js';

/**
 * Plain counters, updated in place and cheap to read at any time (`client.counters.messages`).
 * Timestamps are ms since epoch on the client's clock, 0 until the first occurrence.
 */
export interface WebSocketClientCounters {
  state: ConnectionState;
  /** Generation of the newest connection (incremented on every dial). */
  generation: number;
  /** Text and binary messages received, heartbeat replies and unparseable ones included. */
  messages: number;
  /** Payload bytes received in those messages. */
  bytes: number;
  /** Messages handed to `onMessage` as data (see `isDataMessage`). */
  dataMessages: number;
  /** Application heartbeat replies swallowed (see `isHeartbeatReply`). */
  heartbeatReplies: number;
  parseErrors: number;
  /** Errors thrown by `onMessage`, other hooks or event listeners. */
  handlerErrors: number;
  /** Connections that reached `open`. */
  opens: number;
  /** Reconnects scheduled. */
  reconnects: number;
  heartbeatTimeouts: number;
  staleTimeouts: number;
  connectTimeouts: number;
  /** Messages written to the socket (subscriptions, sends, application pings). */
  sent: number;
  /** Outgoing messages dropped: queue full, or queued when a connection closed. */
  droppedSends: number;
  /** Lag of the last data message whose exchange time is known (`exchangeTimeOf`), ms; includes clock offset. */
  lagMs: number;
  /** Data messages that lagged more than `maxLagMs` (delivered, but not counted as fresh). */
  laggingMessages: number;
  /** Current outbound pace, messages per second (Infinity = unpaced); lowered after a 1008 close. */
  outboundPerSecond: number;
  lastMessageAt: number;
  lastDataAt: number;
  /** When the current (or last) connection opened. */
  connectedAt: number;
}

export function createCounters(outboundPerSecond: number): WebSocketClientCounters {
  return {
    state: 'idle',
    generation: 0,
    messages: 0,
    bytes: 0,
    dataMessages: 0,
    heartbeatReplies: 0,
    parseErrors: 0,
    handlerErrors: 0,
    opens: 0,
    reconnects: 0,
    heartbeatTimeouts: 0,
    staleTimeouts: 0,
    connectTimeouts: 0,
    sent: 0,
    droppedSends: 0,
    lagMs: 0,
    laggingMessages: 0,
    outboundPerSecond,
    lastMessageAt: 0,
    lastDataAt: 0,
    connectedAt: 0,
  };
}
