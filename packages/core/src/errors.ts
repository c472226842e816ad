import type { BookSide } from './types.js';

/**
 * One error hierarchy for the whole project. Every error has a stable machine-readable `code`, a
 * message that says what happened and what to do, and the underlying `cause` where there is one.
 */
export class ArbitrageError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** A value given by the user (config, CLI, API argument) is wrong. */
export class ConfigError extends ArbitrageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
  }
}

/** A string is not an instrument id ('binance:BTC/USDT') or a canonical symbol ('BTC/KRW'). */
export class InvalidInstrumentError extends ArbitrageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INSTRUMENT_INVALID', message, options);
  }
}

/** A symbol is not listed by the exchange (or by any configured exchange). */
export class UnknownSymbolError extends ArbitrageError {
  constructor(
    readonly symbol: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('SYMBOL_UNKNOWN', message, options);
  }
}

/** A native symbol matches markets on more than one configured exchange. */
export class AmbiguousSymbolError extends ArbitrageError {
  constructor(
    readonly symbol: string,
    readonly candidates: readonly string[],
  ) {
    super(
      'SYMBOL_AMBIGUOUS',
      candidates.length === 0
        ? `"${symbol}" is ambiguous; pass an instrument id such as "binance:BTC/USDT"`
        : `"${symbol}" matches ${candidates.join(', ')}; pass an instrument id such as "${candidates[0]}"`,
    );
  }
}

/** Base of everything that goes wrong with market data coming from an exchange. */
export class MarketDataError extends ArbitrageError {}

/** A network message failed validation at the edge (malformed, unknown, impossible). Never applied. */
export class InvalidMessageError extends MarketDataError {
  constructor(
    readonly exchange: string,
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('MESSAGE_INVALID', message, options);
  }
}

/**
 * A price level that cannot be in a book (price not a finite number > 0, or size not a finite
 * number >= 0) was given to OrderBook. The book rejected it and is unchanged. Adapters validate at
 * the edge and report InvalidMessageError; reaching this error means a message slipped through.
 */
export class InvalidLevelError extends MarketDataError {
  constructor(
    readonly side: BookSide,
    readonly price: number,
    readonly size: number,
    /** Position in the snapshot array, when the level came from applySnapshot. */
    readonly index?: number,
  ) {
    super(
      'LEVEL_INVALID',
      `order book ${side} level${index === undefined ? '' : ` #${index}`} [${price}, ${size}] rejected: ` +
        'price must be a finite number > 0 and size a finite number >= 0; the book is unchanged, ' +
        'validate levels before applying them',
    );
  }
}

/** Update ids are not contiguous: the book missed events and must be resynced. */
export class SequenceGapError extends MarketDataError {
  constructor(
    readonly exchange: string,
    readonly symbol: string,
    readonly expected: number,
    readonly received: number,
  ) {
    super(
      'SEQUENCE_GAP',
      `${exchange} ${symbol}: expected update id ${expected}, got ${received}; the book is being resynced`,
    );
  }
}

/** Best bid is at or above best ask: the book cannot be right. */
export class CrossedBookError extends MarketDataError {
  constructor(
    readonly exchange: string,
    readonly symbol: string,
    readonly bestBid: number,
    readonly bestAsk: number,
  ) {
    super('BOOK_CROSSED', `${exchange} ${symbol}: best bid ${bestBid} >= best ask ${bestAsk}; resyncing`);
  }
}

/** The exchange answered 429 or 418: no request to it until `retryAfterMs` has passed. */
export class RateLimitError extends MarketDataError {
  constructor(
    readonly exchange: string,
    readonly status: number,
    readonly retryAfterMs: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(status === 418 ? 'RATE_LIMIT_BANNED' : 'RATE_LIMITED', message, options);
  }
}

/** The exchange answered with its own error body ({code,msg} or {error:{name,message}}). */
export class ExchangeApiError extends MarketDataError {
  constructor(
    readonly exchange: string,
    readonly status: number | undefined,
    readonly exchangeCode: string | number,
    readonly exchangeMessage: string,
    options?: { cause?: unknown },
  ) {
    super(
      'EXCHANGE_API_ERROR',
      `${exchange} answered ${status ?? 'an error'}: ${exchangeCode} ${exchangeMessage}`,
      options,
    );
  }
}

/** A request or wait ran past its deadline. */
export class TimeoutError extends ArbitrageError {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super('TIMEOUT', `${operation} did not complete within ${timeoutMs} ms`, options);
  }
}

/** A transport failure talking to an exchange's REST API (refused, reset, 5xx after retries). */
export class NetworkError extends MarketDataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NETWORK', message, options);
  }
}

export function isArbitrageError(value: unknown): value is ArbitrageError {
  return value instanceof ArbitrageError;
}
