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

const INSTRUMENT_PATTERN = /^([a-z0-9][a-z0-9_-]*):([A-Z0-9]+)\/([A-Z0-9]+)$/;
const SYMBOL_PATTERN = /^([A-Z0-9]+)\/([A-Z0-9]+)$/;

export function formatInstrumentId(exchange: ExchangeId, symbol: string): InstrumentId {
  return `${exchange}:${symbol}` as InstrumentId;
}

export function isInstrumentId(value: string): value is InstrumentId {
  return INSTRUMENT_PATTERN.test(value);
}

/** Parses 'binance:BTC/USDT'. Throws InvalidInstrumentError naming the input when it is not one. */
export function parseInstrumentId(value: string): ParsedInstrument {
  const match = INSTRUMENT_PATTERN.exec(value);
  if (!match) {
    throw new InvalidInstrumentError(
      `"${value}" is not an instrument id; expected "<exchange>:<BASE>/<QUOTE>", e.g. "binance:BTC/USDT"`,
    );
  }
  const [, exchange, base, quote] = match as unknown as [string, string, string, string];
  return { exchange, symbol: `${base}/${quote}`, base, quote };
}

/** Parses a canonical symbol 'BTC/KRW'. Throws InvalidInstrumentError when it is not one. */
export function parseSymbol(symbol: string): { readonly base: string; readonly quote: string } {
  const match = SYMBOL_PATTERN.exec(symbol);
  if (!match) {
    throw new InvalidInstrumentError(
      `"${symbol}" is not a canonical symbol; expected "BASE/QUOTE", e.g. "BTC/KRW"`,
    );
  }
  return { base: match[1] as string, quote: match[2] as string };
}
