import {
  WebSocketConnectionError,
  WebSocketError,
  type WebSocketErrorContext,
  WebSocketProtocolError,
  WebSocketTimeoutError,
} from './errors.js';

/**
 * The errors the client raises, with messages that say what happened and what happens next.
 * Kept apart from the client so its control flow stays readable.
 */

type Context = Omit<WebSocketErrorContext, 'cause' | 'closeCode'>;

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

export function handshakeRejectedError(
  context: Context,
  url: string,
  status: number,
  retryAfterMs: number | undefined,
): WebSocketConnectionError {
  const wait = retryAfterMs === undefined ? '' : `; Retry-After asks for ${retryAfterMs} ms`;
  const advice =
    status === 429 || status === 418
      ? 'rate limited: the next attempt waits at least the Retry-After time'
      : 'check the URL, headers and credentials';
  return new WebSocketConnectionError(
    'WS_HANDSHAKE_REJECTED',
    `${context.client}: ${url} answered the WebSocket handshake with HTTP ${status}${wait}; ${advice}`,
    { ...context, status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
  );
}

export function dialFailedError(context: Context, cause: unknown): WebSocketConnectionError {
  return new WebSocketConnectionError(
    'WS_CONNECT_FAILED',
    `${context.client}: could not start a connection: ${describe(cause)}; check the url option. Retrying with backoff`,
    { ...context, cause },
  );
}

export function connectTimeoutError(context: Context, url: string, timeoutMs: number): WebSocketTimeoutError {
  return new WebSocketTimeoutError(
    'WS_CONNECT_TIMEOUT',
    `${context.client}: no WebSocket handshake from ${url} within ${timeoutMs} ms; retrying with backoff`,
    { ...context, timeoutMs },
  );
}

export function heartbeatTimeoutError(
  context: Context,
  silentMs: number,
  unansweredMs: number,
  timeoutMs: number,
): WebSocketTimeoutError {
  return new WebSocketTimeoutError(
    'WS_HEARTBEAT_TIMEOUT',
    `${context.client}: nothing received for ${silentMs} ms, heartbeat unanswered for ${unansweredMs} ms (limit ${timeoutMs} ms); connection terminated, reconnecting`,
    { ...context, timeoutMs },
  );
}

export function staleError(context: Context, quietMs: number, staleAfterMs: number): WebSocketTimeoutError {
  return new WebSocketTimeoutError(
    'WS_STALE',
    `${context.client}: no fresh data message for ${quietMs} ms (staleAfterMs ${staleAfterMs}; heartbeats and messages lagging over maxLagMs do not count). Connection terminated, reconnecting`,
    { ...context, timeoutMs: staleAfterMs },
  );
}

export function parseError(
  context: Context,
  frame: Buffer,
  isBinary: boolean,
  cause: unknown,
): WebSocketProtocolError {
  const preview = frame
    .subarray(0, 80)
    .toString('utf8')
    .replace(/[^\x20-\x7e]/g, '?');
  return new WebSocketProtocolError(
    'WS_PARSE_ERROR',
    `${context.client}: could not decode a ${isBinary ? 'binary' : 'text'} frame of ${frame.length} bytes (${describe(cause)}); starts with "${preview}". Frame skipped, connection kept`,
    { ...context, cause },
  );
}

export function gaveUpError(
  context: Context,
  maxAttempts: number,
  lastError: WebSocketError,
): WebSocketConnectionError {
  return new WebSocketConnectionError(
    'WS_GAVE_UP',
    `${context.client}: gave up after ${maxAttempts} reconnect attempt(s) without a healthy connection (maxReconnectAttempts=${maxAttempts}); last error: ${lastError.message}. Call connect() to start again`,
    {
      ...context,
      cause: lastError,
      ...(lastError.closeCode === undefined ? {} : { closeCode: lastError.closeCode }),
    },
  );
}

export function abortedError(context: Context): WebSocketError {
  return new WebSocketError(
    'WS_ABORTED',
    `${context.client}: disconnect() was called before a connection opened`,
    context,
  );
}

export function notConnectedError(context: Context, state: string): WebSocketError {
  return new WebSocketError(
    'WS_NOT_CONNECTED',
    `${context.client}: send() while the client is ${state}; call connect() first`,
    context,
  );
}

export function queueFullError(context: Context, capacity: number, state: string): WebSocketError {
  return new WebSocketError(
    'WS_SEND_QUEUE_FULL',
    `${context.client}: send queue full (${capacity} messages waiting while ${state}); message dropped. Raise maxQueuedMessages or send less while disconnected`,
    context,
  );
}

/** A hook (`onMessage`, `onOpen`, ...) or an event listener threw. */
export function handlerError(context: Context, what: string, cause: unknown): WebSocketError {
  return new WebSocketError(
    'WS_HANDLER_ERROR',
    `${context.client}: ${what} threw: ${describe(cause)}; the client carries on. Fix the handler`,
    { ...context, cause },
  );
}

export function restartError(context: Context, reason: string): WebSocketError {
  return new WebSocketError('WS_RESTART', `${context.client}: connection restarted: ${reason}`, context);
}
