import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpGetError, httpGet, keepAliveAgent, requestUrl } from './http-get.js';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

const servers: http.Server[] = [];
const agents: http.Agent[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('requestUrl', () => {
  it('encodes params as axios does, keeping commas and colons readable', () => {
    expect(requestUrl('http://h:1/', '/v1/orderbook', { markets: 'KRW-BTC,KRW-ETH', level: 0 }).href).toBe(
      'http://h:1/v1/orderbook?markets=KRW-BTC,KRW-ETH&level=0',
    );
    expect(requestUrl('http://h:1/api', '/x', { q: 'a b&c=d:e' }).href).toBe(
      'http://h:1/api/x?q=a+b%26c%3Dd:e',
    );
    expect(requestUrl('http://h:1', '/x').href).toBe('http://h:1/x');
  });
});

describe('httpGet', () => {
  it('returns status, headers and the whole body, sending the headers asked for', async () => {
    let seen: http.IncomingHttpHeaders = {};
    let path = '';
    const base = await serve((request, response) => {
      seen = request.headers;
      path = request.url ?? '';
      response.setHeader('x-mbx-used-weight-1m', '25');
      response.write('{"a":');
      response.end('1}');
    });
    const result = await httpGet(requestUrl(base, '/api/v3/depth', { symbol: 'BTCUSDT', limit: 5 }), {
      headers: { Accept: 'application/json' },
    });
    expect(result.status).toBe(200);
    expect(result.headers['x-mbx-used-weight-1m']).toBe('25');
    expect(JSON.parse(result.body.toString())).toEqual({ a: 1 });
    expect(seen.accept).toBe('application/json');
    expect(path).toBe('/api/v3/depth?symbol=BTCUSDT&limit=5');
  });

  it('resolves error statuses and redirects as responses', async () => {
    const base = await serve((request, response) => {
      if (request.url === '/moved') {
        response.writeHead(302, { location: '/elsewhere' }).end();
        return;
      }
      response.writeHead(429, { 'retry-after': '7' }).end('{"code":-1003}');
    });
    const limited = await httpGet(requestUrl(base, '/limited'));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.body.toString()).toBe('{"code":-1003}');
    expect((await httpGet(requestUrl(base, '/moved'))).status).toBe(302);
  });

  it('asks for gzip and deflate and undoes them; a corrupt or oversized one fails', async () => {
    const body = JSON.stringify({
      symbols: Array.from({ length: 500 }, (_, i) => ({ symbol: `S${i}USDT` })),
    });
    let asked: string | undefined;
    const base = await serve((request, response) => {
      asked = request.headers['accept-encoding'];
      if (request.url === '/gzip')
        response.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(body));
      else if (request.url === '/deflate')
        response.writeHead(200, { 'content-encoding': 'deflate' }).end(zlib.deflateSync(body));
      else if (request.url === '/br') response.writeHead(200, { 'content-encoding': 'br' }).end('x');
      else response.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip');
    });
    expect((await httpGet(requestUrl(base, '/gzip'))).body.toString()).toBe(body);
    expect(asked).toBe('gzip, deflate');
    expect((await httpGet(requestUrl(base, '/deflate'))).body.toString()).toBe(body);
    const codes = await Promise.all(
      [
        httpGet(requestUrl(base, '/corrupt')),
        httpGet(requestUrl(base, '/br')),
        httpGet(requestUrl(base, '/gzip'), { maxBytes: 1_000 }),
      ].map((pending) => pending.catch((error: HttpGetError) => error.code)),
    );
    expect(codes).toEqual(['ERR_CONTENT_ENCODING', 'ERR_CONTENT_ENCODING', 'ERR_BODY_TOO_LARGE']);
  });

  it('fails a body larger than maxBytes', async () => {
    const base = await serve((_request, response) => response.end(Buffer.alloc(5_000, 0x20)));
    const error = await httpGet(requestUrl(base, '/'), { maxBytes: 1_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpGetError);
    expect((error as HttpGetError).code).toBe('ERR_BODY_TOO_LARGE');
  });

  it('rejects with the signal reason on abort, before or during the request, and closes the socket', async () => {
    let closed = false;
    const base = await serve((request) => {
      request.socket.on('close', () => {
        closed = true;
      });
    });
    const controller = new AbortController();
    const pending = httpGet(requestUrl(base, '/hang'), { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reason = new Error('deadline');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect.poll(() => closed).toBe(true);
    await expect(httpGet(requestUrl(base, '/'), { signal: controller.signal })).rejects.toBe(reason);
  });

  it('fails with ECONNRESET when the server drops the connection mid-body', async () => {
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('{"partial":');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const error = await httpGet(requestUrl(base, '/')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpGetError);
    expect((error as HttpGetError).code).toBe('ECONNRESET');
  });

  it('fails with the system error code when nothing listens, and on other protocols', async () => {
    const base = await serve(() => undefined);
    const server = servers.pop()!;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const refused = await httpGet(requestUrl(base, '/')).catch((e: unknown) => e);
    expect((refused as HttpGetError).code).toBe('ECONNREFUSED');
    const ftp = await httpGet(new URL('ftp://127.0.0.1/')).catch((e: unknown) => e);
    expect((ftp as HttpGetError).code).toBe('ERR_PROTOCOL');
  });

  it('reuses a keep-alive socket of the agent given', async () => {
    const ports: number[] = [];
    const base = await serve((request, response) => {
      ports.push(request.socket.remotePort ?? 0);
      response.end('ok');
    });
    const agent = keepAliveAgent(base, 1);
    expect(agent).not.toBeInstanceOf(https.Agent);
    const secure = keepAliveAgent('https://api.example');
    expect(secure).toBeInstanceOf(https.Agent);
    secure.destroy();
    agents.push(agent);
    await httpGet(requestUrl(base, '/1'), { agent });
    await httpGet(requestUrl(base, '/2'), { agent });
    expect(ports[0]).toBe(ports[1]);
  });
});
