import { createHash, createHmac } from 'node:crypto';
import { ConfigError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { createUpbitJwt, signUpbitOrder, upbitQueryHash, upbitQueryString } from './signing.js';

const credentials = { accessKey: 'test-access-key', secretKey: 'test-secret-key' };
const NONCE = '6f1c2d9e-0b7a-4a53-9d1e-3c2b1a000001';

function decodePart(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

describe('upbitQueryString / upbitQueryHash', () => {
  it('writes parameters in order, unencoded, arrays as key[]=', () => {
    expect(
      upbitQueryString({
        market: 'KRW-BTC',
        side: 'bid',
        volume: '0.01',
        price: '100000',
        ord_type: 'limit',
      }),
    ).toBe('market=KRW-BTC&side=bid&volume=0.01&price=100000&ord_type=limit');
    expect(upbitQueryString({ states: ['wait', 'watch'], page: 1, skipped: undefined })).toBe(
      'states[]=wait&states[]=watch&page=1',
    );
  });

  it('hashes with SHA-512 in lower-case hex', () => {
    // SHA-512("abc") from FIPS 180-2, appendix C.1.
    expect(upbitQueryHash('abc')).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
  });
});

describe('createUpbitJwt', () => {
  it('builds a token whose header, payload and signature check out independently (HS512 default)', () => {
    const params = { market: 'KRW-BTC', side: 'bid', volume: '0.01', price: '100000', ord_type: 'limit' };
    const token = createUpbitJwt({ ...credentials, params, nonce: NONCE });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(decodePart(header)).toEqual({ alg: 'HS512', typ: 'JWT' });
    const expectedHash = createHash('sha512')
      .update('market=KRW-BTC&side=bid&volume=0.01&price=100000&ord_type=limit')
      .digest('hex');
    expect(decodePart(payload)).toEqual({
      access_key: 'test-access-key',
      nonce: NONCE,
      query_hash: expectedHash,
      query_hash_alg: 'SHA512',
    });
    const expectedSignature = createHmac('sha512', 'test-secret-key')
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect(signature).toBe(expectedSignature);
  });

  it('signs with HS256 when asked', () => {
    const token = createUpbitJwt({ ...credentials, nonce: NONCE, algorithm: 'HS256' });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(decodePart(header)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodePart(payload)).toEqual({ access_key: 'test-access-key', nonce: NONCE });
    expect(signature).toBe(
      createHmac('sha256', 'test-secret-key').update(`${header}.${payload}`).digest('base64url'),
    );
  });

  it('uses a fresh UUID nonce when none is given', () => {
    const a = decodePart(createUpbitJwt(credentials).split('.')[1]!) as { nonce: string };
    const b = decodePart(createUpbitJwt(credentials).split('.')[1]!) as { nonce: string };
    expect(a.nonce).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.nonce).not.toBe(b.nonce);
  });

  it('refuses missing credentials and unknown algorithms', () => {
    expect(() => createUpbitJwt({ accessKey: '', secretKey: 's' })).toThrow(ConfigError);
    expect(() => createUpbitJwt({ ...credentials, algorithm: 'none' as unknown as 'HS256' })).toThrow(
      /HS256 or HS512/,
    );
  });
});

describe('signUpbitOrder (POST /v1/orders, never sent)', () => {
  it('hashes exactly the body fields, in body order', () => {
    const request = signUpbitOrder(
      credentials,
      { market: 'KRW-BTC', side: 'bid', ord_type: 'limit', volume: '0.01', price: '116539000' },
      { nonce: NONCE },
    );
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/orders');
    expect(JSON.parse(request.body)).toEqual({
      market: 'KRW-BTC',
      side: 'bid',
      ord_type: 'limit',
      volume: '0.01',
      price: '116539000',
    });
    const token = request.headers.Authorization!.replace(/^Bearer /, '');
    const payload = decodePart(token.split('.')[1]!) as { query_hash: string };
    expect(payload.query_hash).toBe(
      createHash('sha512')
        .update('market=KRW-BTC&side=bid&ord_type=limit&volume=0.01&price=116539000')
        .digest('hex'),
    );
    expect(request.headers['Content-Type']).toBe('application/json; charset=utf-8');
  });

  it('checks the fields each order type needs', () => {
    expect(() =>
      signUpbitOrder(credentials, { market: 'KRW-BTC', side: 'bid', ord_type: 'limit', volume: '1' }),
    ).toThrow(/needs price/);
    expect(() =>
      signUpbitOrder(credentials, { market: 'KRW-BTC', side: 'ask', ord_type: 'price', price: '1' }),
    ).toThrow(/market buy/);
    expect(() =>
      signUpbitOrder(credentials, { market: 'KRW-BTC', side: 'bid', ord_type: 'market', volume: '1' }),
    ).toThrow(/market sell/);
    expect(() =>
      signUpbitOrder(credentials, { market: 'krw-btc', side: 'ask', ord_type: 'market', volume: '1' }),
    ).toThrow(/upper-case/);
    expect(() =>
      signUpbitOrder(credentials, { market: 'KRW-BTC', side: 'bid', ord_type: 'best', price: '1' }),
    ).toThrow(/ioc/);
    expect(
      signUpbitOrder(credentials, {
        market: 'KRW-BTC',
        side: 'bid',
        ord_type: 'best',
        price: '10000',
        time_in_force: 'ioc',
      }).path,
    ).toBe('/v1/orders');
    expect(() =>
      signUpbitOrder(credentials, { market: 'KRW-BTC', side: 'ask', ord_type: 'market', volume: '-1' }),
    ).toThrow(/positive decimal/);
  });
});
