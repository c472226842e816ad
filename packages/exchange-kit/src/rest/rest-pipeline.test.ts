import { deflateSync, gzipSync } from 'node:zlib';
import {
  ExchangeApiError,
  InvalidMessageError,
  ManualClock,
  NetworkError,
  RateBudget,
  RateLimitError,
  TimeoutError,
} from '@arbitrage/core';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { type Handler, RestTestServer, reply } from '../test-support/rest-test-server.js';
import { parseJsonBody } from './json-body.js';
import { RestPipeline, type RestPipelineOptions } from './rest-pipeline.js';
import type { RestExchangeHooks, RestRequest, RestResponse } from './types.js';

let server: RestTestServer | undefined;
let pipeline: RestPipeline | undefined;
const extraPipelines: RestPipeline[] = [];

afterEach(async () => {
  pipeline?.close();
  pipeline = undefined;
  for (const extra of extraPipelines.splice(0)) extra.close();
  await server?.close();
  server = undefined;
});

const observed: RestResponse[] = [];

const hooks: RestExchangeHooks = {
  exchange: 'test',
  label: 'Test',
  observe: (response) => observed.push(response),
  failedResponse: (response, operation) => {
    const body = response.body.toString();
    if (response.status >= 500) return new NetworkError(`${operation} answered ${response.status}`);
    return new ExchangeApiError('test', response.status, `HTTP_${response.status}`, body);
  },
  describeBody: (body) => (body.length > 0 ? body.toString() : undefined),
};

async function setup(
  handler: Handler,
  options: Partial<RestPipelineOptions> = {},
): Promise<{ server: RestTestServer; pipeline: RestPipeline }> {
  observed.length = 0;
  server = await RestTestServer.start(handler);
  pipeline = new RestPipeline({ hooks, backoff: { baseMs: 5, capMs: 5 }, ...options, baseUrl: server.url });
  return { server, pipeline };
}

function json(path = '/v1/thing', extra: Partial<RestRequest<unknown>> = {}): RestRequest<unknown> {
  return { path, parse: (response) => parseJsonBody(response, 'test', `GET ${path}`), ...extra };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('RestPipeline', () => {
  it('sends params encoded as axios does, Accept JSON, one keep-alive socket, and parses the body', async () => {
    const { server, pipeline } = await setup((_request, response) =>
      reply(response, 200, { ok: true }, { 'X-Used': '7' }),
    );
    const params = { markets: 'KRW-BTC,KRW-ETH', time: '12:00', note: 'a b', skipped: undefined };
    await expect(pipeline.request(json('/v1/thing', { params }))).resolves.toEqual({ ok: true });
    await pipeline.request(json());
    expect(server.requests[0]?.rawQuery).toBe('markets=KRW-BTC,KRW-ETH&time=12:00&note=a+b');
    expect(server.requests[0]?.headers.accept).toBe('application/json');
    expect(server.requests[0]?.headers.origin).toBeUndefined();
    expect(server.connections).toBe(1);
    expect(observed[0]?.headers['x-used']).toBe('7');
    expect(pipeline.stats.requests).toBe(2);
  });

  it('undoes gzip and deflate', async () => {
    const { pipeline } = await setup((request, response) => {
      const body = JSON.stringify({ encoding: request.query.get('as') });
      const encoded = request.query.get('as') === 'gzip' ? gzipSync(body) : deflateSync(body);
      response.writeHead(200, { 'Content-Encoding': request.query.get('as') ?? '' });
      response.end(encoded);
    });
    await expect(pipeline.request(json('/z', { params: { as: 'gzip' } }))).resolves.toEqual({
      encoding: 'gzip',
    });
    await expect(pipeline.request(json('/z', { params: { as: 'deflate' } }))).resolves.toEqual({
      encoding: 'deflate',
    });
  });

  it('gives every attempt a deadline: a hanging server times out, is retried, then TimeoutError', async () => {
    const { server, pipeline } = await setup(() => {}, { timeoutMs: 100, attempts: 2 });
    const error = await failure(pipeline.request(json()));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(100);
    expect(server.requests).toHaveLength(2);
    expect(pipeline.stats.retries).toBe(1);
  });

  it('takes a per-request timeout over the default', async () => {
    const { pipeline } = await setup(() => {}, { timeoutMs: 60_000, attempts: 1 });
    const error = await failure(pipeline.request(json('/slow', { timeoutMs: 50 })));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(50);
  });

  it("rejects with the caller's abort reason at once and does not retry", async () => {
    const { server, pipeline } = await setup(() => {});
    const controller = new AbortController();
    const pending = pipeline.request(json('/v1/thing', { signal: controller.signal }));
    await waitFor(() => server.requests.length === 1, 3_000, 'the request');
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(server.requests).toHaveLength(1);
  });

  it('on 429 with Retry-After: RateLimitError, every later request refused unsent, budgets blocked', async () => {
    const clock = new ManualClock();
    const budget = new RateBudget({ limit: 100, windowMs: 60_000, clock });
    let status = 429;
    const { server, pipeline } = await setup(
      (_request, response) =>
        status === 429
          ? reply(response, 429, '-1003 too many', { 'Retry-After': '2' })
          : reply(response, 200, []),
      { clock },
    );
    const request = json('/v1/thing', { charges: [{ budget, weight: 1 }] });
    const first = (await failure(pipeline.request(request))) as RateLimitError;
    expect(first).toBeInstanceOf(RateLimitError);
    expect(first.code).toBe('RATE_LIMITED');
    expect(first.retryAfterMs).toBe(2_000);
    expect(first.message).toMatch(/-1003 too many/);
    expect(pipeline.blockedUntil).toBe(clock.now() + 2_000);
    expect(budget.blockedUntil).toBe(clock.now() + 2_000);

    status = 200;
    clock.advance(1_500);
    const refused = (await failure(pipeline.request(request))) as RateLimitError;
    expect(refused.retryAfterMs).toBe(500);
    expect(refused.message).toMatch(/not sent/);
    expect(refused.cause).toBe(first);
    expect(server.requests).toHaveLength(1);
    expect(pipeline.stats.refusedWhileBlocked).toBe(1);

    clock.advance(500);
    await expect(pipeline.request(request)).resolves.toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it('on 418 (banned) without Retry-After: the default wait, doubled for each 418 in a row', async () => {
    const clock = new ManualClock();
    const { server, pipeline } = await setup((_request, response) => reply(response, 418, ''), {
      clock,
      rateLimitWaits: { 429: { baseMs: 1_000, capMs: 60_000 }, 418: { baseMs: 120_000, capMs: 300_000 } },
    });
    const first = (await failure(pipeline.request(json()))) as RateLimitError;
    expect(first.code).toBe('RATE_LIMIT_BANNED');
    expect(first.status).toBe(418);
    expect(first.retryAfterMs).toBe(120_000);
    expect(first.message).toMatch(/IP banned/);
    clock.advance(120_000);
    expect(((await failure(pipeline.request(json()))) as RateLimitError).retryAfterMs).toBe(240_000);
    clock.advance(240_000);
    expect(((await failure(pipeline.request(json()))) as RateLimitError).retryAfterMs).toBe(300_000);
    expect(server.requests).toHaveLength(3);
    expect(pipeline.stats.rateLimited).toBe(3);
  });

  it('waits for the budget, and refuses unsent when the wait is longer than maxBudgetWaitMs', async () => {
    const clock = new ManualClock();
    const budget = new RateBudget({ limit: 1, windowMs: 1_000, clock });
    const { server, pipeline } = await setup((_request, response) => reply(response, 200, {}), { clock });
    const charges = [{ budget, weight: 1 }];
    await pipeline.request(json('/a', { charges }));
    const second = pipeline.request(json('/b', { charges }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(1);
    await clock.advanceAsync(1_000);
    await second;
    expect(server.requests.map((request) => request.path)).toEqual(['/a', '/b']);

    pipeline.close();
    const impatient = new RestPipeline({ hooks, baseUrl: server.url, clock, maxBudgetWaitMs: 100 });
    extraPipelines.push(impatient);
    const refused = (await failure(impatient.request(json('/c', { charges })))) as RateLimitError;
    expect(refused).toBeInstanceOf(RateLimitError);
    expect(refused.status).toBe(0);
    expect(refused.retryAfterMs).toBe(1_000);
    expect(refused.message).toMatch(/client-side weight budget/);
    expect(server.requests).toHaveLength(2);
  });

  it('takes a request budget and a weight budget together, waiting for the slower one', async () => {
    const clock = new ManualClock();
    const requests = new RateBudget({ limit: 10, windowMs: 1_000, clock });
    const weight = new RateBudget({ limit: 100, windowMs: 60_000, clock });
    const { server, pipeline } = await setup((_request, response) => reply(response, 200, {}), { clock });
    const charges = [
      { budget: requests, weight: 1 },
      { budget: weight, weight: 60 },
    ];
    await pipeline.request(json('/a', { charges }));
    expect([requests.usedWeight, weight.usedWeight]).toEqual([1, 60]);
    const second = pipeline.request(json('/b', { charges }));
    await clock.advanceAsync(1_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(1);
    expect(requests.usedWeight).toBe(0);
    await clock.advanceAsync(59_000);
    await second;
    expect(server.requests).toHaveLength(2);
    expect(weight.usedWeight).toBe(60);
  });

  it("classifies with the exchange's hook: 4xx not retried, 5xx retried, redirects not followed", async () => {
    const { server, pipeline } = await setup((request, response) => {
      if (request.path === '/missing') reply(response, 404, 'no such thing');
      else if (request.path === '/moved') {
        response.writeHead(302, { Location: '/elsewhere' });
        response.end();
      } else reply(response, 503, 'down');
    });
    const notFound = (await failure(pipeline.request(json('/missing')))) as ExchangeApiError;
    expect(notFound).toBeInstanceOf(ExchangeApiError);
    expect(notFound.exchangeCode).toBe('HTTP_404');
    expect(notFound.exchangeMessage).toBe('no such thing');
    const moved = (await failure(pipeline.request(json('/moved')))) as ExchangeApiError;
    expect(moved.status).toBe(302);
    const down = await failure(pipeline.request(json('/down')));
    expect(down).toBeInstanceOf(NetworkError);
    expect(server.requests.map((request) => request.path)).toEqual([
      '/missing',
      '/moved',
      '/down',
      '/down',
      '/down',
    ]);
    expect(observed.map((response) => response.status)).toEqual([404, 302, 503, 503, 503]);
  });

  it('does not retry a POST unless asked', async () => {
    const { server, pipeline } = await setup((_request, response) => reply(response, 503, 'down'));
    await failure(pipeline.request(json('/order', { method: 'POST', body: '{}' })));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toBe('{}');
  });

  it('caps the body after decompression', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(8_192) });
    const { pipeline } = await setup(
      (request, response) => {
        if (request.path === '/bomb') {
          response.writeHead(200, { 'Content-Encoding': 'gzip' });
          response.end(gzipSync(big));
        } else reply(response, 200, big);
      },
      { maxBodyBytes: 4_096, attempts: 1 },
    );
    for (const path of ['/plain', '/bomb']) {
      const error = await failure(pipeline.request(json(path)));
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as Error).message).toMatch(/exceeds 4096 bytes/);
    }
  });

  it('turns a 2xx body that is not JSON into InvalidMessageError, not retried', async () => {
    const { server, pipeline } = await setup((_request, response) => reply(response, 200, '<html>'));
    const error = (await failure(pipeline.request(json()))) as InvalidMessageError;
    expect(error).toBeInstanceOf(InvalidMessageError);
    expect(error.reason).toBe('malformed-json');
    expect(server.requests).toHaveLength(1);
  });

  it('a refused connection is a NetworkError with its code, retried', async () => {
    const { server, pipeline } = await setup(() => {});
    const url = server.url;
    await server.close();
    pipeline.close();
    const orphan = new RestPipeline({ hooks, baseUrl: url, attempts: 2, backoff: { baseMs: 1, capMs: 1 } });
    extraPipelines.push(orphan);
    const error = await failure(orphan.request(json()));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/ECONNREFUSED, attempt 2/);
    expect(orphan.stats.retries).toBe(1);
  });

  it('close() ends the keep-alive sockets; later requests fail unsent', async () => {
    const { server, pipeline } = await setup((_request, response) => reply(response, 200, {}));
    await pipeline.request(json());
    expect(server.openConnections).toBe(1);
    pipeline.close();
    await waitFor(() => server.openConnections === 0, 3_000, 'sockets closed');
    const error = await failure(pipeline.request(json()));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/closed/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('RestPipeline wire tap', () => {
  it('hands the tap every answer as received, errors included, with method and path', async () => {
    const seen: string[] = [];
    const tap = {
      opened: () => 0,
      frame: () => {},
      closed: () => {},
      rest: (exchange: string, _at: number, status: number, method: string, path: string, body: Buffer) =>
        seen.push(`${exchange} ${status} ${method} ${path} ${body.toString()}`),
    };
    const { pipeline } = await setup(
      (request, response) =>
        request.path === '/v1/missing' ? reply(response, 404, 'nope') : reply(response, 200, { ok: true }),
      { wireTap: tap, attempts: 1 },
    );
    await pipeline.request(json('/v1/thing', { params: { a: 1 } }));
    await failure(pipeline.request(json('/v1/missing')));
    expect(seen).toEqual(['test 200 GET /v1/thing?a=1 {"ok":true}', 'test 404 GET /v1/missing nope']);
  });
});
