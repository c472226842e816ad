import { ArbitrageError } from '@arbitrage/core';

/** Where an error happened: which client, which connection, which attempt. */
export interface WebSocketErrorContext {
  /** The client's `name` option, e.g. `'binance-ws'`. */
  readonly client: string;
  /** Reconnect attempt of the connection (0 = the first connection after `connect()` or after a healthy one). */
  readonly attempt: number;
  /** Connection generation the error belongs to (0 when no connection was involved). */
  readonly generation: number;
  /** WebSocket close code, when the error ended (or came with) a close. */
  readonly closeCode?: number;
  readonly cause?: unknown;
}

/** Machine-readable codes of every error this package raises. */
export type WebSocketErrorCode =
  | 'WS_REFUSED'
  | 'WS_DNS'
  | 'WS_HANDSHAKE_REJECTED'
  | 'WS_NETWORK'
  | 'WS_CONNECT_FAILED'
  | 'WS_UNEXPECTED_CLOSE'
  | 'WS_GAVE_UP'
  | 'WS_PARSE_ERROR'
  | 'WS_PROTOCOL_VIOLATION'
  | 'WS_SERVER_ERROR'
  | 'WS_CONNECT_TIMEOUT'
  | 'WS_HEARTBEAT_TIMEOUT'
  | 'WS_STALE'
  | 'WS_SEND_QUEUE_FULL'
  | 'WS_NOT_CONNECTED'
  | 'WS_ABORTED'
  | 'WS_HANDLER_ERROR'
  | 'WS_RESTART';

/**
 * Base of everything that goes wrong on a WebSocket connection. Carries the client name, the
 * reconnect attempt, the connection generation, the close code (when any) and the cause.
 */
export class WebSocketError extends ArbitrageError {
  declare readonly code: WebSocketErrorCode;
  readonly client: string;
  readonly attempt: number;
  readonly generation: number;
  readonly closeCode: number | undefined;

  constructor(code: WebSocketErrorCode, message: string, context: WebSocketErrorContext) {
    super(code, message, context.cause === undefined ? undefined : { cause: context.cause });
    this.client = context.client;
    this.attempt = context.attempt;
    this.generation = context.generation;
    this.closeCode = context.closeCode;
  }
}

/**
 * The connection could not be made or was lost: refused, DNS failure, handshake rejected with an
 * HTTP status, network reset, a close the client did not ask for, or reconnects exhausted.
 */
export class WebSocketConnectionError extends WebSocketError {
  /** HTTP status of a rejected handshake (429, 418, 403, ...). */
  readonly status: number | undefined;
  /** Server-requested wait from a `Retry-After` header, ms. */
  readonly retryAfterMs: number | undefined;
  /** Close reason text sent by the server, when any. */
  readonly closeReason: string | undefined;

  constructor(
    code: Extract<
      WebSocketErrorCode,
      | 'WS_REFUSED'
      | 'WS_DNS'
      | 'WS_HANDSHAKE_REJECTED'
      | 'WS_NETWORK'
      | 'WS_CONNECT_FAILED'
      | 'WS_UNEXPECTED_CLOSE'
      | 'WS_GAVE_UP'
    >,
    message: string,
    context: WebSocketErrorContext & { status?: number; retryAfterMs?: number; closeReason?: string },
  ) {
    super(code, message, context);
    this.status = context.status;
    this.retryAfterMs = context.retryAfterMs;
    this.closeReason = context.closeReason;
  }
}

/**
 * The peer sent something we cannot use: an unparseable frame (the connection stays up), a
 * protocol violation detected by `ws` such as an oversized frame or invalid UTF-8 (the connection
 * is closed and re-established), or an error message from the exchange (raised by adapters).
 */
export class WebSocketProtocolError extends WebSocketError {
  /** The exchange's own error code or name, for `WS_SERVER_ERROR`. */
  readonly serverCode: string | number | undefined;

  constructor(
    code: Extract<WebSocketErrorCode, 'WS_PARSE_ERROR' | 'WS_PROTOCOL_VIOLATION' | 'WS_SERVER_ERROR'>,
    message: string,
    context: WebSocketErrorContext & { serverCode?: string | number },
  ) {
    super(code, message, context);
    this.serverCode = context.serverCode;
  }
}

/** A deadline passed: the handshake, the heartbeat (pong or any inbound frame), or data freshness. */
export class WebSocketTimeoutError extends WebSocketError {
  readonly timeoutMs: number;

  constructor(
    code: Extract<WebSocketErrorCode, 'WS_CONNECT_TIMEOUT' | 'WS_HEARTBEAT_TIMEOUT' | 'WS_STALE'>,
    message: string,
    context: WebSocketErrorContext & { timeoutMs: number },
  ) {
    super(code, message, context);
    this.timeoutMs = context.timeoutMs;
  }
}

export function isWebSocketError(value: unknown): value is WebSocketError {
  return value instanceof WebSocketError;
}
