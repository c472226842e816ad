import { ConfigError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import {
  checkExchangeNames,
  DEFAULT_EXCHANGES,
  EXCHANGE_PACKAGES,
  loadExchangeFactories,
} from './registry.js';

describe('exchange registry', () => {
  it('loads each named exchange by dynamic import and returns its factory', async () => {
    const imported: string[] = [];
    const factories = await loadExchangeFactories(DEFAULT_EXCHANGES, {
      importer: (specifier) => {
        imported.push(specifier);
        return import(specifier);
      },
    });
    expect(imported).toEqual(['@arbitrage/exchange-upbit', '@arbitrage/exchange-binance']);
    const upbit = factories.get('upbit')!({ restUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' });
    expect(upbit.id).toBe('upbit');
    await upbit.close();
  });

  it('rejects an unknown name, listing the known ones, before importing anything', async () => {
    const imported: string[] = [];
    const error = await loadExchangeFactories(
      { krw: 'upbit', usdt: 'kraken' },
      {
        importer: async (specifier) => {
          imported.push(specifier);
          return {};
        },
      },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'exchanges.usdt: unknown exchange "kraken"; expected one of upbit, binance, okx',
    );
    expect(imported).toEqual([]);
    expect(() => checkExchangeNames({ krw: 'binance', usdt: 'binance' })).not.toThrow();
  });

  it('names the package to install when it is missing', async () => {
    const error = await loadExchangeFactories(
      { krw: 'upbit', usdt: 'upbit' },
      {
        packages: {
          upbit: {
            packageName: '@arbitrage/exchange-upbit-not-installed',
            factoryExport: 'createUpbitExchange',
          },
        },
      },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'exchange "upbit" needs the package @arbitrage/exchange-upbit-not-installed, which is not installed: run `pnpm add @arbitrage/exchange-upbit-not-installed`',
    );
  });

  it('says when the package does not export the factory', async () => {
    const error = await loadExchangeFactories(
      { krw: 'binance', usdt: 'binance' },
      {
        packages: { binance: { ...EXCHANGE_PACKAGES.binance!, factoryExport: 'createNothing' } },
      },
    ).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('does not export a function createNothing');
  });
});
