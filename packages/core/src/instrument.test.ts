import { describe, expect, it } from 'vitest';
import { InvalidInstrumentError } from './errors.js';
import { formatInstrumentId, isInstrumentId, parseInstrumentId, parseSymbol } from './instrument.js';

describe('instrument ids', () => {
  it('parses exchange, symbol, base and quote', () => {
    expect(parseInstrumentId('binance:BTC/USDT')).toEqual({
      exchange: 'binance',
      symbol: 'BTC/USDT',
      base: 'BTC',
      quote: 'USDT',
    });
    expect(parseInstrumentId('my-exchange_2:1000SATS/KRW').base).toBe('1000SATS');
  });

  it.each([
    'BTC/USDT',
    'binance:BTCUSDT',
    'Binance:BTC/USDT',
    'binance:btc/usdt',
    'binance:BTC/USDT ',
    ':BTC/USDT',
    'binance:BTC/',
    'binance:BTC/USDT/X',
    '',
  ])('rejects %j with an InvalidInstrumentError that names the input', (input) => {
    expect(() => parseInstrumentId(input)).toThrow(InvalidInstrumentError);
    expect(() => parseInstrumentId(input)).toThrow(`${JSON.stringify(input)} is not an instrument id`);
    expect(isInstrumentId(input)).toBe(false);
  });

  it('names a non-string input without crashing', () => {
    expect(() => parseInstrumentId(42 as unknown as string)).toThrow('a number is not an instrument id');
    expect(() => parseSymbol(null as unknown as string)).toThrow('a null is not a canonical symbol');
    expect(isInstrumentId(undefined as unknown as string)).toBe(false);
  });

  it('shortens a very long input in the message', () => {
    const long = 'x'.repeat(500);
    expect(() => parseInstrumentId(long)).toThrow(/"x{80}…" is not an instrument id/);
  });

  it('formats an id that parses back, and refuses malformed parts', () => {
    const id = formatInstrumentId('upbit', 'BTC/KRW');
    expect(id).toBe('upbit:BTC/KRW');
    expect(isInstrumentId(id)).toBe(true);
    expect(parseInstrumentId(id).symbol).toBe('BTC/KRW');
    expect(() => formatInstrumentId('Upbit', 'BTC/KRW')).toThrow('"Upbit" is not an exchange id');
    expect(() => formatInstrumentId('upbit', 'KRW-BTC')).toThrow('"KRW-BTC" is not a canonical symbol');
  });

  it('parses canonical symbols', () => {
    expect(parseSymbol('ETH/BTC')).toEqual({ base: 'ETH', quote: 'BTC' });
    expect(() => parseSymbol('ETHBTC')).toThrow(
      '"ETHBTC" is not a canonical symbol; expected upper-case "BASE/QUOTE"',
    );
  });
});
