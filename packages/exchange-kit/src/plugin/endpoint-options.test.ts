import { ConfigError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { checkWsUrl, restOrigin } from './endpoint-options.js';

const BINANCE = { owner: 'createBinanceExchange', apiPath: '/api/v3' };

describe('restOrigin', () => {
  it('takes an http(s) origin, with or without the trailing slash', () => {
    expect(restOrigin('http://127.0.0.1:8080', BINANCE)).toBe('http://127.0.0.1:8080');
    expect(restOrigin('https://api.binance.com/', BINANCE)).toBe('https://api.binance.com');
  });

  it('refuses the API prefix the client adds itself, naming the option and the expected form', () => {
    expect(() => restOrigin('http://127.0.0.1:8080/api/v3', BINANCE)).toThrow(
      new ConfigError(
        'createBinanceExchange: restUrl must be an origin like http://127.0.0.1:8080 or https://api.example.com (no path): the client adds /api/v3/… itself, got http://127.0.0.1:8080/api/v3',
      ),
    );
  });

  it.each([
    'http://127.0.0.1:8080/proxy',
    'http://127.0.0.1:8080/?a=1',
    'ws://127.0.0.1:8080',
    '127.0.0.1:8080',
    'not a url',
  ])('refuses %s', (url) => {
    expect(() => restOrigin(url, BINANCE)).toThrow(
      /restUrl must be an origin like http:\/\/127\.0\.0\.1:8080/,
    );
  });
});

describe('checkWsUrl', () => {
  it('takes ws and wss URLs with or without a path', () => {
    expect(checkWsUrl('ws://127.0.0.1:8080', 'x', 'ws://h:1')).toBe('ws://127.0.0.1:8080');
    expect(checkWsUrl('wss://ws.okx.com:8443/ws/v5/public', 'x', 'ws://h:1')).toBe(
      'wss://ws.okx.com:8443/ws/v5/public',
    );
  });

  it('refuses an http URL or a non-URL, naming the option', () => {
    expect(() => checkWsUrl('http://127.0.0.1:8080', 'createOkxExchange', 'ws://127.0.0.1:8080')).toThrow(
      'createOkxExchange: wsUrl must be a ws:// or wss:// URL like ws://127.0.0.1:8080, got http://127.0.0.1:8080',
    );
    expect(() => checkWsUrl('localhost', 'x', 'ws://h:1')).toThrow(ConfigError);
  });
});
