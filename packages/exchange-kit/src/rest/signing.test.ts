import { createHash, createHmac } from 'node:crypto';
import { ConfigError, NetworkError } from '@arbitrage/core';
import { afterEach, describe, expect, it } from 'vitest';
import { RestTestServer, reply } from '../test-support/rest-test-server.js';
import { RestPipeline } from './rest-pipeline.js';
import {
  createHsJwt,
  hmacQuerySigner,
  hmacSha256Hex,
  jwtSigner,
  queryHashJwt,
  signedQuery,
} from './signing.js';

// The example in Binance's REST API documentation ("SIGNED endpoint examples for POST /api/v3/order").
const BINANCE_API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const BINANCE_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const BINANCE_QUERY =
  'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const BINANCE_SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';

function decodePart(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

let server: RestTestServer | undefined;
let pipeline: RestPipeline | undefined;

afterEach(async () => {
  pipeline?.close();
  pipeline = undefined;
  await server?.close();
  server = undefined;
});

async function echoServer(): Promise<{ server: RestTestServer; pipeline: RestPipeline }> {
  server = await RestTestServer.start((_request, response) => reply(response, 200, {}));
  pipeline = new RestPipeline({
    baseUrl: server.url,
    hooks: { exchange: 'test', label: 'Test', failedResponse: () => new NetworkError('unexpected') },
  });
  return { server, pipeline };
}

describe('HMAC-SHA256 query signing', () => {
  it("reproduces Binance's documented signature", () => {
    expect(hmacSha256Hex(BINANCE_QUERY, BINANCE_SECRET)).toBe(BINANCE_SIGNATURE);
    expect(signedQuery(BINANCE_QUERY, BINANCE_SECRET)).toBe(
      `${BINANCE_QUERY}&signature=${BINANCE_SIGNATURE}`,
    );
  });

  it('signs exactly the query the server receives and sends the API key header', async () => {
    const { server, pipeline } = await echoServer();
    const sign = hmacQuerySigner({
      apiKey: BINANCE_API_KEY,
      secretKey: BINANCE_SECRET,
      apiKeyHeader: 'X-MBX-APIKEY',
    });
    await pipeline.request({
      method: 'POST',
      path: '/api/v3/order',
      params: {
        symbol: 'LTCBTC',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '1',
        price: '0.1',
        recvWindow: 5000,
        timestamp: 1499827319559,
      },
      sign,
      parse: () => undefined,
    });
    const seen = server.requests[0]!;
    expect(seen.rawQuery).toBe(`${BINANCE_QUERY}&signature=${BINANCE_SIGNATURE}`);
    expect(seen.headers['x-mbx-apikey']).toBe(BINANCE_API_KEY);
  });

  it('refuses empty credentials', () => {
    expect(() => hmacQuerySigner({ apiKey: '', secretKey: 's', apiKeyHeader: 'X' })).toThrow(ConfigError);
  });
});

describe('JWT signing with query_hash', () => {
  it('reproduces the well-known HS256 example token', () => {
    // The example token of RFC 7519 tooling (jwt.io), secret "your-256-bit-secret".
    const token = createHsJwt(
      { sub: '1234567890', name: 'John Doe', iat: 1516239022 },
      'your-256-bit-secret',
      'HS256',
    );
    expect(token).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    );
  });

  it('leaves out query_hash when there is no query', () => {
    const token = queryHashJwt({ accessKey: 'a', secretKey: 's', queryString: '', nonce: 'n' });
    expect(decodePart(token.split('.')[1]!)).toEqual({ access_key: 'a', nonce: 'n' });
  });

  it('sends a Bearer token whose HS512 signature and query_hash check out against the query received', async () => {
    const { server, pipeline } = await echoServer();
    const sign = jwtSigner({ accessKey: 'access', secretKey: 'secret' });
    const request = {
      path: '/v1/orders/chance',
      params: { market: 'KRW-BTC', note: 'a b,c' },
      sign,
      parse: () => undefined,
    };
    await pipeline.request(request);
    await pipeline.request(request);
    const [first, second] = server.requests;
    const token = first!.headers.authorization!.replace(/^Bearer /, '');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(decodePart(header)).toEqual({ alg: 'HS512', typ: 'JWT' });
    expect(signature).toBe(createHmac('sha512', 'secret').update(`${header}.${payload}`).digest('base64url'));
    // The server rebuilds the unencoded query string from what it received and hashes it.
    const unencoded = [...first!.query].map(([key, value]) => `${key}=${value}`).join('&');
    expect(unencoded).toBe('market=KRW-BTC&note=a b,c');
    const claims = decodePart(payload) as Record<string, string>;
    expect(claims.query_hash).toBe(createHash('sha512').update(unencoded).digest('hex'));
    expect(claims.query_hash_alg).toBe('SHA512');
    expect(claims.access_key).toBe('access');
    const again = decodePart(second!.headers.authorization!.split('.')[1]!) as Record<string, string>;
    expect(again.nonce).not.toBe(claims.nonce);
  });

  it('refuses empty credentials and unknown algorithms', () => {
    expect(() => queryHashJwt({ accessKey: '', secretKey: 's', queryString: '' })).toThrow(ConfigError);
    expect(() => createHsJwt({}, 's', 'none' as unknown as 'HS256')).toThrow(/HS256 or HS512/);
  });
});
