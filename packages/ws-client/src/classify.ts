import {
  WebSocketConnectionError,
  type WebSocketError,
  type WebSocketErrorContext,
  WebSocketProtocolError,
} from './errors.js';

/** Close codes `ws` uses for the protocol violations it detects on inbound frames. */
const WS_VIOLATION_CLOSE_CODES: Readonly<Record<string, number>> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009,
  WS_ERR_INVALID_UTF8: 1007,
  WS_ERR_INVALID_CLOSE_CODE: 1002,
  WS_ERR_INVALID_OPCODE: 1002,
  WS_ERR_EXPECTED_FIN: 1002,
  WS_ERR_EXPECTED_MASK: 1002,
  WS_ERR_UNEXPECTED_MASK: 1002,
  WS_ERR_UNEXPECTED_RSV_1: 1002,
  WS_ERR_UNEXPECTED_RSV_2_3: 1002,
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: 1002,
};

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
  'EADDRNOTAVAIL',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Turns an error emitted by a `ws` client socket into a classified WebSocketError.
 * `opened` tells whether the handshake had completed.
 */
export function classifySocketError(
  error: unknown,
  opened: boolean,
  url: string,
  context: Omit<WebSocketErrorContext, 'cause' | 'closeCode'>,
): WebSocketError {
  const code = errorCode(error);
  const detail = errorMessage(error);
  const base = { ...context, cause: error };
  const name = context.client;
  if (code !== undefined && code in WS_VIOLATION_CLOSE_CODES) {
    return new WebSocketProtocolError(
      'WS_PROTOCOL_VIOLATION',
      `${name}: the server sent an invalid frame (${code}: ${detail}); the connection is closed and will be re-established`,
      { ...base, closeCode: WS_VIOLATION_CLOSE_CODES[code] },
    );
  }
  if (code === 'ECONNREFUSED') {
    return new WebSocketConnectionError(
      'WS_REFUSED',
      `${name}: connection to ${url} refused; is the server running and the URL right? Retrying with backoff`,
      base,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') {
    return new WebSocketConnectionError(
      'WS_DNS',
      `${name}: cannot resolve the host of ${url} (${code}); check the URL and DNS. Retrying with backoff`,
      base,
    );
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new WebSocketConnectionError(
      'WS_NETWORK',
      `${name}: network error ${opened ? 'on the open connection' : 'while connecting'} to ${url} (${code}: ${detail}); reconnecting`,
      base,
    );
  }
  return new WebSocketConnectionError(
    'WS_CONNECT_FAILED',
    opened
      ? `${name}: socket error on ${url}: ${detail}; reconnecting`
      : `${name}: could not open ${url}: ${detail}; retrying with backoff`,
    base,
  );
}

/** The error for a close the client did not ask for, when nothing else explained it. */
export function unexpectedCloseError(
  code: number,
  reason: string,
  context: Omit<WebSocketErrorContext, 'cause' | 'closeCode'>,
): WebSocketConnectionError {
  const said = reason.length > 0 ? ` "${reason}"` : '';
  const what =
    code === 1006
      ? 'the connection dropped without a close frame (1006)'
      : code === 1008
        ? `the server closed with 1008${said} (policy violation, usually too many messages); outbound rate lowered`
        : `the server closed the connection with ${code}${said}`;
  return new WebSocketConnectionError('WS_UNEXPECTED_CLOSE', `${context.client}: ${what}; reconnecting`, {
    ...context,
    closeCode: code,
    closeReason: reason,
  });
}
