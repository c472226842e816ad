import type { Clock, TimerHandle } from './clock.js';
import { systemClock } from './clock.js';
import {
  type ArbitrageError,
  ConfigError,
  isArbitrageError,
  MarketDataError,
  NetworkError,
  RateLimitError,
} from './errors.js';
import type { Logger } from './logger.js';
import { noopLogger } from './logger.js';
import type { ExchangePlugin } from './plugin.js';
import type { OrderBookSnapshot } from './types.js';

export interface RestPollerOptions {
  /** The exchange to poll, through `plugin.rest().fetchOrderBooks` within `plugin.restLimits`. */
  readonly plugin: ExchangePlugin;
  /** Wanted time between two polls of the same symbol, ms (> 0). Stretched when the limits need it. */
  readonly intervalMs: number;
  /** Levels per side to ask for. */
  readonly depth?: number;
  /** Most requests in flight at once (default 4): a hanging server cannot pile requests up. */
  readonly maxInFlight?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Every book a request returned, for symbols still polled. */
  readonly onSnapshots: (snapshots: readonly OrderBookSnapshot[]) => void;
  /** A request failed; `symbols` are the ones it carried. */
  readonly onError: (error: ArbitrageError, symbols: readonly string[]) => void;
}

export interface RestPollerStats {
  /** Requests started. */
  requests: number;
  /** Requests that failed (rate limits included). */
  failures: number;
  /** Requests answered 429/418 (or refused locally while blocked). */
  rateLimited: number;
  /** Turns skipped because `maxInFlight` requests were still running. */
  skippedBusy: number;
}

/**
 * Polls one exchange's REST order books for a changing set of canonical symbols, inside the
 * exchange's limits whatever the number of symbols. Symbols are batched by
 * `restLimits.maxSymbolsPerRequest`; the batches are polled round-robin, one request per turn, and
 * turns are spaced `max(intervalMs / batches, 1000 / orderBookRequestsPerSecond)` apart, so requests
 * are staggered evenly and never exceed the exchange's rate. When the batches cannot all be polled
 * within `intervalMs`, the interval is stretched to what the rate allows and a warning says so once.
 * A 429/418 pauses every request until its Retry-After has passed. A symbol added while running is
 * polled at the next turn the rate allows.
 */
export class RestPoller {
  readonly stats: RestPollerStats = { requests: 0, failures: 0, rateLimited: 0, skippedBusy: 0 };
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly minSpacingMs: number;
  private readonly maxPerRequest: number;
  private readonly maxInFlight: number;
  private symbols: string[] = [];
  private batches: string[][] = [];
  private cursor = 0;
  private spacingMs = 0;
  private running = false;
  private generation = 0;
  private timer: TimerHandle | undefined;
  private blockedUntilMs = 0;
  private lastRequestAt = Number.NEGATIVE_INFINITY;
  private warnedStretch = false;
  private readonly inFlight = new Map<AbortController, Promise<void>>();

  constructor(private readonly options: RestPollerOptions) {
    const { intervalMs, plugin } = options;
    if (!(intervalMs > 0 && intervalMs < Number.POSITIVE_INFINITY)) {
      throw new ConfigError(`a REST poll interval must be a positive number of ms, got ${intervalMs}`);
    }
    const { maxSymbolsPerRequest, orderBookRequestsPerSecond } = plugin.restLimits;
    if (!(maxSymbolsPerRequest >= 1) || !(orderBookRequestsPerSecond > 0)) {
      throw new ConfigError(
        `exchange ${plugin.id} reports unusable REST limits (maxSymbolsPerRequest ${maxSymbolsPerRequest}, ` +
          `orderBookRequestsPerSecond ${orderBookRequestsPerSecond}); both must be positive`,
      );
    }
    this.maxPerRequest = Math.floor(maxSymbolsPerRequest);
    this.minSpacingMs = 1000 / orderBookRequestsPerSecond;
    this.maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? 4));
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? noopLogger).child({ component: 'rest-poller', exchange: plugin.id });
  }

  /** Time between two polls of one symbol as scheduled now (the wanted interval, or stretched). */
  get effectiveIntervalMs(): number {
    return this.batches.length === 0 ? this.options.intervalMs : this.spacingMs * this.batches.length;
  }

  /** When a 429/418 block ends (ms since epoch), or 0. */
  get blockedUntil(): number {
    return this.clock.now() < this.blockedUntilMs ? this.blockedUntilMs : 0;
  }

  get polled(): readonly string[] {
    return this.symbols;
  }

  has(symbol: string): boolean {
    return this.symbols.includes(symbol);
  }

  /** Replaces the polled symbols (canonical). */
  setSymbols(symbols: readonly string[]): void {
    this.symbols = [...new Set(symbols)];
    this.replan(undefined);
  }

  /** Starts polling `symbol` (canonical); it is polled at the next turn the rate allows. */
  add(symbol: string): void {
    if (this.symbols.includes(symbol)) return;
    this.symbols = [...this.symbols, symbol];
    this.replan(symbol);
  }

  remove(symbol: string): void {
    if (!this.symbols.includes(symbol)) return;
    this.symbols = this.symbols.filter((entry) => entry !== symbol);
    this.replan(undefined);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.scheduleSoon();
  }

  /** Stops polling; aborts and waits for the requests in flight. Nothing is reported afterwards. */
  async stop(): Promise<void> {
    this.running = false;
    this.generation++;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const pending = [...this.inFlight.values()];
    for (const controller of this.inFlight.keys()) controller.abort();
    await Promise.all(pending);
  }

  private replan(added: string | undefined): void {
    const batches: string[][] = [];
    for (let i = 0; i < this.symbols.length; i += this.maxPerRequest) {
      batches.push(this.symbols.slice(i, i + this.maxPerRequest));
    }
    this.batches = batches;
    const count = batches.length;
    const wanted = this.options.intervalMs;
    this.spacingMs = count === 0 ? 0 : Math.max(wanted / count, this.minSpacingMs);
    const effective = this.spacingMs * count;
    if (effective > wanted * 1.0001) {
      const message =
        `${this.options.plugin.id}: polling ${this.symbols.length} symbols in ${count} requests every ${wanted} ms ` +
        `would exceed ${this.options.plugin.restLimits.orderBookRequestsPerSecond} order-book requests/s; ` +
        `each symbol is polled every ${Math.round(effective)} ms instead`;
      if (!this.warnedStretch) {
        this.warnedStretch = true;
        this.logger.warn(
          { symbols: this.symbols.length, requests: count, effectiveIntervalMs: effective },
          message,
        );
      } else {
        this.logger.debug({ effectiveIntervalMs: effective }, message);
      }
    }
    if (added !== undefined) {
      const index = batches.findIndex((batch) => batch.includes(added));
      if (index >= 0) this.cursor = index;
    }
    if (this.cursor >= count) this.cursor = 0;
    if (this.running) this.scheduleSoon();
  }

  /** (Re)schedules the next turn as early as the rate allows. */
  private scheduleSoon(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running || this.batches.length === 0) return;
    const delay = Math.max(0, this.lastRequestAt + this.minSpacingMs - this.clock.now());
    this.schedule(delay);
  }

  private schedule(delayMs: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.turn();
    }, delayMs);
  }

  private turn(): void {
    const count = this.batches.length;
    if (!this.running || count === 0) return;
    const now = this.clock.now();
    if (now < this.blockedUntilMs) {
      this.schedule(this.blockedUntilMs - now);
      return;
    }
    const batch = this.batches[this.cursor % count]!;
    this.cursor = (this.cursor + 1) % count;
    if (this.inFlight.size >= this.maxInFlight) this.stats.skippedBusy++;
    else this.request(batch, now);
    this.schedule(this.spacingMs);
  }

  private request(batch: readonly string[], now: number): void {
    this.stats.requests++;
    this.lastRequestAt = now;
    const controller = new AbortController();
    const generation = this.generation;
    const run = async (): Promise<void> => {
      try {
        const snapshots = await this.options.plugin.rest().fetchOrderBooks(batch, {
          signal: controller.signal,
          ...(this.options.depth === undefined ? {} : { depth: this.options.depth }),
        });
        if (generation !== this.generation) return;
        const wanted = snapshots.filter((snapshot) => this.symbols.includes(snapshot.symbol));
        if (wanted.length > 0) this.deliver(wanted);
        this.reportMissing(batch, snapshots);
      } catch (error) {
        if (generation !== this.generation || controller.signal.aborted) return;
        this.failed(error, batch);
      } finally {
        this.inFlight.delete(controller);
      }
    };
    this.inFlight.set(controller, run());
  }

  /**
   * Upbit leaves unknown markets out of its answer without an error, and plugins drop books that
   * fail validation: a symbol asked for and not answered is reported as a failure of its own.
   */
  private reportMissing(batch: readonly string[], snapshots: readonly OrderBookSnapshot[]): void {
    if (snapshots.length >= batch.length) return;
    const answered = new Set(snapshots.map((snapshot) => snapshot.symbol));
    const missing = batch.filter((symbol) => !answered.has(symbol) && this.symbols.includes(symbol));
    if (missing.length === 0) return;
    this.failed(
      new MarketDataError(
        'BOOK_MISSING',
        `${this.options.plugin.id} answered without a valid order book for ${missing.join(', ')}: ` +
          'check that the exchange lists the market (its book may also have been rejected as invalid)',
      ),
      missing,
    );
  }

  private deliver(snapshots: readonly OrderBookSnapshot[]): void {
    try {
      this.options.onSnapshots(snapshots);
    } catch (error) {
      this.logger.error({ err: error }, 'a REST poller onSnapshots callback threw; ignored');
    }
  }

  private failed(error: unknown, batch: readonly string[]): void {
    this.stats.failures++;
    const classified = isArbitrageError(error)
      ? error
      : new NetworkError(
          `${this.options.plugin.id} order-book request failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
    if (classified instanceof RateLimitError) {
      this.stats.rateLimited++;
      const until = this.clock.now() + Math.max(classified.retryAfterMs, this.minSpacingMs);
      if (until > this.blockedUntilMs) {
        this.blockedUntilMs = until;
        this.logger.warn(
          { status: classified.status, retryAfterMs: classified.retryAfterMs },
          `${this.options.plugin.id} rate-limited order-book polling (${classified.status}); no request until ${new Date(until).toISOString()}`,
        );
      }
    }
    try {
      this.options.onError(classified, batch);
    } catch (listenerError) {
      this.logger.error({ err: listenerError }, 'a REST poller onError callback threw; ignored');
    }
  }
}
