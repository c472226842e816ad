import { InvalidInstrumentError } from './errors.js';
import type { ExchangeId } from './types.js';

/** An instrument id names one market on one exchange: 'binance:BTC/USDT'. */
export type InstrumentId = `${string}:${string}/${string}`;

export interface ParsedInstrument {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
}

/** Exchange ids are lower case ('upbit', 'binance', 'my-exchange'); symbols upper-case BASE/QUOTE. */
const EXCHANGE_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
const INSTRUMENT_PATTERN = /^([a-z0-9][a-z0-9_-]*):([A-Z0-9]+)\/([A-Z0-9]+)$/;
const SYMBOL_PATTERN = /^([A-Z0-9]+)\/([A-Z0-9]+)$/;

/** Quotes an input for an error message; long or non-string inputs are shown safely. */
function describe(value: unknown): string {
  if (typeof value !== 'string') return `a ${value === null ? 'null' : typeof value}`;
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown);
}

/**
 * Builds 'binance:BTC/USDT' from an exchange id and a canonical symbol. Throws InvalidInstrumentError
 * naming the bad part when either is malformed.
 */
export function formatInstrumentId(exchange: ExchangeId, symbol: string): InstrumentId {
  if (typeof exchange !== 'string' || !EXCHANGE_PATTERN.test(exchange)) {
    throw new InvalidInstrumentError(
      `${describe(exchange)} is not an exchange id; expected lower-case letters, digits, "_" or "-", e.g. "binance"`,
    );
  }
  parseSymbol(symbol);
  return `${exchange}:${symbol}` as InstrumentId;
}

export function isInstrumentId(value: string): value is InstrumentId {
  return typeof value === 'string' && INSTRUMENT_PATTERN.test(value);
}

/** Parses 'binance:BTC/USDT'. Throws InvalidInstrumentError naming the input when it is not one. */
export function parseInstrumentId(value: string): ParsedInstrument {
  const match = typeof value === 'string' ? INSTRUMENT_PATTERN.exec(value) : null;
  if (!match) {
    throw new InvalidInstrumentError(
      `${describe(value)} is not an instrument id; expected "<exchange>:<BASE>/<QUOTE>", e.g. "binance:BTC/USDT"`,
    );
  }
  const [, exchange, base, quote] = match as unknown as [string, string, string, string];
  return { exchange, symbol: `${base}/${quote}`, base, quote };
}

/** Parses a canonical symbol 'BTC/KRW'. Throws InvalidInstrumentError naming the input when it is not one. */
export function parseSymbol(symbol: string): { readonly base: string; readonly quote: string } {
  const match = typeof symbol === 'string' ? SYMBOL_PATTERN.exec(symbol) : null;
  if (!match) {
    throw new InvalidInstrumentError(
      `${describe(symbol)} is not a canonical symbol; expected upper-case "BASE/QUOTE", e.g. "BTC/KRW"`,
    );
  }
  return { base: match[1] as string, quote: match[2] as string };
}
