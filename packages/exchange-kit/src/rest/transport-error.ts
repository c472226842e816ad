import { NetworkError, TimeoutError } from '@arbitrage/core';

export interface TransportFailure {
  readonly operation: string;
  readonly attempt: number;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly closed: boolean;
}

/**
 * The error for a request that got no complete answer (refused, reset, timed out at the socket,
 * body over the cap, corrupt compression). Every one of them is worth another attempt.
 */
export function transportError(error: unknown, failure: TransportFailure): Error {
  const code = errorCode(error);
  const { operation, attempt } = failure;
  if (code === 'ETIMEDOUT') return new TimeoutError(operation, failure.timeoutMs, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  if (/maxContentLength/.test(message)) {
    return new NetworkError(
      `${operation} failed: the body exceeds ${failure.maxBodyBytes} bytes (attempt ${attempt})`,
      { cause: error },
    );
  }
  const closed = failure.closed ? '; the client was closed' : '; check connectivity';
  return new NetworkError(`${operation} failed (${code ?? message}, attempt ${attempt})${closed}`, {
    cause: error,
  });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code !== 'ERR_BAD_RESPONSE' && code !== 'ERR_NETWORK') return code;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const causeCode = (cause as { code?: unknown } | undefined)?.code;
  return typeof causeCode === 'string' ? causeCode : typeof code === 'string' ? code : undefined;
}
