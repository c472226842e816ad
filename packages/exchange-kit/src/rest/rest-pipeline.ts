import {
  type BackoffOptions,
  type Clock,
  type ExchangeTransport,
  type Logger,
  NetworkError,
  noopLogger,
  type RateBudget,
  RateLimitError,
  retry,
  systemClock,
  TimeoutError,
  type WireTap,
} from '@arbitrage/core';
import { parseRetryAfter } from '@arbitrage/ws-client';
import { AxiosTransport } from './axios-transport.js';
import { admitCharges } from './budget-admission.js';
import { queryString } from './query-string.js';
import { DEFAULT_RATE_LIMIT_WAITS, RateLimitGate, type RateLimitWaits } from './rate-limit-gate.js';
import { transportError } from './transport-error.js';
import type { BudgetCharge, RestExchangeHooks, RestMethod, RestRequest, RestResponse } from './types.js';

export interface RestPipelineOptions {
  /** Scheme and host, optionally a path prefix (`https://api.binance.com`). */
  readonly baseUrl: string;
  readonly hooks: RestExchangeHooks;
  /** Deadline of each attempt, ms, from sending to the whole body (default 5000). */
  readonly timeoutMs?: number;
  /** Largest body accepted after decompression (default 16 MiB); larger fails the attempt. */
  readonly maxBodyBytes?: number;
  /** Keep-alive sockets at most (default 8). */
  readonly maxSockets?: number;
  /** Attempts for 5xx, timeouts and network errors, the first included (default 3). */
  readonly attempts?: number;
  /** Backoff between those attempts (default 200 ms doubling to 2 s, with jitter). */
  readonly backoff?: BackoffOptions;
  /**
   * Longest wait for a budget before a request fails with RateLimitError (status 0) instead of
   * waiting; default: wait as long as it takes.
   */
  readonly maxBudgetWaitMs?: number;
  /** Waits after a 429/418 without Retry-After (default 1 s doubling to 60 s; 60 s doubling to 1 h). */
  readonly rateLimitWaits?: RateLimitWaits;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Counters to keep up to date, e.g. part of the client's own stats (default a new object). */
  readonly stats?: RestPipelineStats;
  /** Sees every answer's body as received (recording), tagged with `hooks.exchange`. */
  readonly wireTap?: WireTap;
  /** Answers requests instead of HTTP (replay); default axios on a keep-alive agent. */
  readonly transport?: ExchangeTransport;
}

export interface RestPipelineStats {
  /** Requests sent (each attempt counts). */
  requests: number;
  /** Attempts repeated after a 5xx, timeout or network error. */
  retries: number;
  /** 429 and 418 answers. */
  rateLimited: number;
  /** Requests refused locally because a 429/418 block was still running. */
  refusedWhileBlocked: number;
}

/** Marks an error worth another attempt; unwrapped before it reaches the caller. */
class Retryable {
  constructor(readonly error: unknown) {}
}

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * One REST request pipeline on axios (http adapter) for every exchange: a keep-alive agent, a
 * deadline per attempt, the caller's AbortSignal, gzip/deflate, request and weight budgets taken
 * before sending, 429/418 with Retry-After blocking every later request until the wait is over,
 * bounded retries of 5xx, timeouts and network errors, a body cap, no redirects followed, and
 * signed requests. The exchange plugs in how to read its answers (`hooks`) and, per request, how
 * to parse a success (`parse`).
 */
export class RestPipeline {
  readonly stats: RestPipelineStats;
  private readonly hooks: RestExchangeHooks;
  private readonly wireTap: WireTap | undefined;
  private readonly transport: Pick<AxiosTransport, 'send' | 'close'>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly attempts: number;
  private readonly backoff: BackoffOptions;
  private readonly maxBudgetWaitMs: number;
  private readonly gate: RateLimitGate;
  /** Every budget a request has been charged to: a 429/418 blocks them all. */
  private readonly budgets = new Set<RateBudget>();
  private closed = false;

  constructor(options: RestPipelineOptions) {
    this.hooks = options.hooks;
    this.wireTap = options.wireTap;
    this.stats = options.stats ?? { requests: 0, retries: 0, rateLimited: 0, refusedWhileBlocked: 0 };
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? noopLogger;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.attempts = options.attempts ?? 3;
    this.backoff = options.backoff ?? { baseMs: 200, capMs: 2_000 };
    this.maxBudgetWaitMs = options.maxBudgetWaitMs ?? Number.POSITIVE_INFINITY;
    this.gate = new RateLimitGate(this.hooks.exchange, options.rateLimitWaits ?? DEFAULT_RATE_LIMIT_WAITS);
    const injected = options.transport;
    this.transport = injected
      ? { send: (request) => injected.request(request), close: () => {} }
      : new AxiosTransport(options.baseUrl.replace(/\/+$/, ''), this.maxBodyBytes, options.maxSockets);
  }

  /** Sends `request` (retried per the rules above) and returns what its `parse` makes of the answer. */
  async request<T>(request: RestRequest<T>): Promise<T> {
    const method = request.method ?? 'GET';
    const operation = `${this.hooks.label} ${method} ${request.path}`;
    const retryable = request.retry ?? method === 'GET';
    try {
      return await retry((attempt) => this.attempt(request, method, operation, attempt), {
        attempts: retryable ? this.attempts : 1,
        backoff: this.backoff,
        isRetryable: (error) => error instanceof Retryable,
        clock: this.clock,
        ...(request.signal === undefined ? {} : { signal: request.signal }),
        onRetry: (error, attempt, delayMs) => {
          this.stats.retries++;
          const cause = error instanceof Retryable ? error.error : error;
          this.logger.warn(
            { operation, attempt, delayMs, err: cause },
            `${operation} failed (${cause instanceof Error ? cause.message : String(cause)}); retrying`,
          );
        },
      });
    } catch (error) {
      throw error instanceof Retryable ? error.error : error;
    }
  }

  /** When the current 429/418 block ends (ms since epoch), or 0. */
  get blockedUntil(): number {
    return this.gate.blockedUntil(this.clock.now());
  }

  /** Closes the keep-alive sockets; later requests fail with NetworkError without being sent. */
  close(): void {
    this.closed = true;
    this.transport.close();
  }

  private async attempt<T>(
    request: RestRequest<T>,
    method: RestMethod,
    operation: string,
    attempt: number,
  ): Promise<T> {
    this.refuseIfClosedOrBlocked(operation);
    const charges = request.charges ?? [];
    for (const charge of charges) this.budgets.add(charge.budget);
    await admitCharges(
      charges,
      this.clock,
      this.maxBudgetWaitMs,
      (delayMs, charge) => this.budgetRefusal(operation, delayMs, charge),
      request.signal,
    );
    this.refuseIfClosedOrBlocked(operation);
    const response = await this.send(request, method, operation, attempt);
    this.hooks.observe?.(response);
    const status = response.status;
    if (status === 429 || status === 418) throw this.rateLimited(status, response, operation);
    if (status >= 200 && status < 300) {
      this.gate.succeeded();
      return request.parse(response);
    }
    const error = this.hooks.failedResponse(response, operation);
    throw status >= 500 ? new Retryable(error) : error;
  }

  private async send(
    request: RestRequest<unknown>,
    method: RestMethod,
    operation: string,
    attempt: number,
  ): Promise<RestResponse> {
    let query = queryString(request.params);
    let headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    if (request.sign !== undefined) {
      const signed = request.sign({ method, path: request.path, query, body: request.body });
      query = signed.query;
      headers = { ...headers, ...signed.headers };
    }
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    const deadline = this.clock.setTimeout(
      () => controller.abort(new TimeoutError(operation, timeoutMs)),
      timeoutMs,
    );
    const caller = request.signal;
    const onAbort = (): void => controller.abort(caller?.reason);
    caller?.addEventListener('abort', onAbort, { once: true });
    this.stats.requests++;
    try {
      const url = query === '' ? request.path : `${request.path}?${query}`;
      const answer = await this.transport.send({
        method,
        url,
        headers,
        body: request.body,
        signal: controller.signal,
      });
      const receivedAt = this.clock.now();
      this.wireTap?.rest(this.hooks.exchange, receivedAt, answer.status, method, url, answer.body);
      return { ...answer, receivedAt };
    } catch (error) {
      if (caller?.aborted) throw caller.reason;
      if (controller.signal.aborted) throw new Retryable(controller.signal.reason);
      throw new Retryable(
        transportError(error, {
          operation,
          attempt,
          timeoutMs,
          maxBodyBytes: this.maxBodyBytes,
          closed: this.closed,
        }),
      );
    } finally {
      this.clock.clearTimeout(deadline);
      caller?.removeEventListener('abort', onAbort);
    }
  }

  private refuseIfClosedOrBlocked(operation: string): void {
    if (this.closed) {
      throw new NetworkError(
        `${operation} not sent: the ${this.hooks.label} REST client is closed; create a new one`,
      );
    }
    const refusal = this.gate.refusal(operation, this.hooks.label, this.clock.now());
    if (refusal === undefined) return;
    this.stats.refusedWhileBlocked++;
    throw refusal;
  }

  private budgetRefusal(operation: string, delayMs: number, charge: BudgetCharge): RateLimitError {
    return new RateLimitError(
      this.hooks.exchange,
      0,
      delayMs,
      `${operation} not sent: the client-side weight budget (${charge.budget.usedWeight} used) frees ${charge.weight} in ${delayMs} ms`,
    );
  }

  private rateLimited(status: 429 | 418, response: RestResponse, operation: string): RateLimitError {
    this.stats.rateLimited++;
    const now = this.clock.now();
    const retryAfterMs = parseRetryAfter(
      response.headers['retry-after'] as string | readonly string[] | undefined,
      now,
    );
    const waitMs = this.gate.block(status, retryAfterMs, now);
    const until = this.gate.blockedUntil(now);
    for (const budget of this.budgets) budget.blockUntil(until);
    const detail = this.hooks.describeBody?.(response.body);
    const error = new RateLimitError(
      this.hooks.exchange,
      status,
      waitMs,
      `${this.hooks.label} answered ${status}${status === 418 ? ' (IP banned)' : ' (rate limit)'} to ${operation}` +
        `${detail === undefined ? '' : ` (${detail})`}; no request will be sent for ${waitMs} ms` +
        ` (${retryAfterMs === undefined ? 'no Retry-After; default wait' : 'Retry-After'}). Lower the request rate`,
    );
    this.gate.remember(error);
    this.logger.error({ operation, status, waitMs }, error.message);
    return error;
  }
}
