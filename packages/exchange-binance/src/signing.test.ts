import { ConfigError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { orderQuery, signOrderRequest, signQuery } from './signing.js';

// The example in Binance's REST API documentation ("SIGNED endpoint examples for POST /api/v3/order").
const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const QUERY =
  'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';

describe('Binance HMAC-SHA256 signing', () => {
  it("reproduces the documentation's signature", () => {
    expect(signQuery(QUERY, SECRET)).toBe(SIGNATURE);
  });

  it('builds the query in the documented order and signs it', () => {
    const params = {
      symbol: 'LTCBTC',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '1',
      price: '0.1',
      recvWindow: 5000,
      timestamp: 1499827319559,
    } as const;
    expect(orderQuery(params)).toBe(QUERY);
    const request = signOrderRequest(params, { apiKey: API_KEY, secretKey: SECRET });
    expect(request).toEqual({
      method: 'POST',
      path: '/api/v3/order',
      query: `${QUERY}&signature=${SIGNATURE}`,
      headers: { 'X-MBX-APIKEY': API_KEY },
    });
  });

  it('refuses decimals that float formatting could have changed, and bad timestamps', () => {
    const base = { symbol: 'LTCBTC', side: 'BUY', type: 'LIMIT', timestamp: 1499827319559 } as const;
    expect(() => orderQuery({ ...base, quantity: '1e-7' })).toThrow(ConfigError);
    expect(() => orderQuery({ ...base, price: '-1' })).toThrow(/price "-1"/);
    expect(() => orderQuery({ ...base, timestamp: 0 })).toThrow(/timestamp/);
  });
});
