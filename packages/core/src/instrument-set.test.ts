import { describe, expect, it } from 'vitest';
import { AmbiguousSymbolError, ConfigError, UnknownSymbolError } from './errors.js';
import { InstrumentSet, resolveInstrument } from './instrument-set.js';
import { fakePlugin } from './test-support/fake-plugin.js';

const limits = { maxSymbolsPerRequest: 1, orderBookRequestsPerSecond: 10 };
const now = () => 0;
const upbit = fakePlugin(
  'upbit',
  [
    ['KRW-BTC', 'BTC/KRW'],
    ['KRW-ETH', 'ETH/KRW'],
    ['USDT-BTC', 'BTC/USDT'],
  ],
  limits,
  now,
).plugin;
const binance = fakePlugin(
  'binance',
  [
    ['BTCUSDT', 'BTC/USDT'],
    ['ETHUSDT', 'ETH/USDT'],
  ],
  limits,
  now,
).plugin;

describe('resolveInstrument', () => {
  it('resolves instrument ids, native symbols and unambiguous canonical symbols', () => {
    expect(resolveInstrument([upbit, binance], 'upbit:BTC/KRW')).toMatchObject({
      id: 'upbit:BTC/KRW',
      exchange: 'upbit',
      symbol: 'BTC/KRW',
      nativeSymbol: 'KRW-BTC',
      plugin: upbit,
    });
    expect(resolveInstrument([upbit, binance], 'BTCUSDT')).toMatchObject({
      id: 'binance:BTC/USDT',
      nativeSymbol: 'BTCUSDT',
    });
    expect(resolveInstrument([upbit, binance], 'ETH/KRW').id).toBe('upbit:ETH/KRW');
  });

  it('refuses a canonical symbol two exchanges list, naming both ids', () => {
    const error = (() => {
      try {
        resolveInstrument([upbit, binance], 'BTC/USDT');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AmbiguousSymbolError);
    expect((error as AmbiguousSymbolError).candidates).toEqual(['upbit:BTC/USDT', 'binance:BTC/USDT']);
    expect((error as Error).message).toContain('pass an instrument id');
  });

  it('refuses unknown symbols and unconfigured exchanges with a message that says what to do', () => {
    expect(() => resolveInstrument([upbit, binance], 'DOGEUSDT')).toThrow(UnknownSymbolError);
    expect(() => resolveInstrument([upbit, binance], 'DOGEUSDT')).toThrow(
      /not listed by any configured exchange/,
    );
    expect(() => resolveInstrument([upbit], 'binance:BTC/USDT')).toThrow(
      /"binance", which is not configured/,
    );
    expect(() => resolveInstrument([upbit, binance], 'binance:XRP/USDT')).toThrow(UnknownSymbolError);
    expect(() => resolveInstrument([upbit, binance], '')).toThrow(UnknownSymbolError);
  });
});

describe('InstrumentSet', () => {
  it('keeps each instrument once and looks it up by id, native or canonical symbol', () => {
    const set = new InstrumentSet([upbit, binance], ['KRW-BTC', 'upbit:BTC/KRW', 'BTCUSDT']);
    expect(set.instruments.map((i) => i.id)).toEqual(['upbit:BTC/KRW', 'binance:BTC/USDT']);
    expect(set.lookup('KRW-BTC').id).toBe('upbit:BTC/KRW');
    expect(set.lookup('BTC/KRW').id).toBe('upbit:BTC/KRW');
    expect(set.lookup('binance:BTC/USDT').nativeSymbol).toBe('BTCUSDT');
    expect(set.lookup('BTC/USDT').id).toBe('binance:BTC/USDT');
    expect([...set.byPlugin().keys()]).toEqual([upbit, binance]);
  });

  it('reports a canonical name shared by two configured instruments as ambiguous', () => {
    const set = new InstrumentSet([upbit, binance], ['upbit:BTC/USDT', 'binance:BTC/USDT']);
    expect(() => set.lookup('BTC/USDT')).toThrow(AmbiguousSymbolError);
    expect(set.lookup('USDT-BTC').id).toBe('upbit:BTC/USDT');
  });

  it('says when a symbol is listed but not configured', () => {
    const set = new InstrumentSet([upbit, binance], ['KRW-BTC']);
    expect(() => set.lookup('ETHUSDT')).toThrow(/listed by the exchange but not configured/);
    expect(() => set.lookup('NOPE')).toThrow(/not a configured instrument; configured: upbit:BTC\/KRW/);
  });

  it('rejects empty or duplicated configuration', () => {
    expect(() => new InstrumentSet([], ['KRW-BTC'])).toThrow(ConfigError);
    expect(() => new InstrumentSet([upbit], [])).toThrow(ConfigError);
    expect(() => new InstrumentSet([upbit, upbit], ['KRW-BTC'])).toThrow(/configured twice/);
  });
});
