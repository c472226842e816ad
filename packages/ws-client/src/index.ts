export { BaseWebSocketClient, type ProtocolErrorOptions } from './base-client.js';
export type { WebSocketClientCounters } from './counters.js';
export {
  isWebSocketError,
  WebSocketConnectionError,
  WebSocketError,
  type WebSocketErrorCode,
  type WebSocketErrorContext,
  WebSocketProtocolError,
  WebSocketTimeoutError,
} from './errors.js';
export type {
  CloseEvent,
  ConnectionState,
  MessageMeta,
  OpenEvent,
  ReconnectEvent,
  StateChangeEvent,
  WebSocketClientEvents,
} from './events.js';
export {
  DEFAULTS as WEBSOCKET_CLIENT_DEFAULTS,
  type HeartbeatOptions,
  type ReconnectBackoffOptions,
  type WebSocketClientOptions,
} from './options.js';
export { parseRetryAfter } from './retry-after.js';
export { SOCKET_OPEN, type SocketFactory, type SocketLike } from './socket-like.js';
export type { EventListener } from './typed-emitter.js';
