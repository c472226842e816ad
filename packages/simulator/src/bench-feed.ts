import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import { ConfigError, type PriceLevel } from '@arbitrage/core';
import type { ExchangeName, Market, PumpTransport } from './model/market.js';

/** What one bench run sent. */
export interface BenchRun {
  /** Book updates produced. */
  readonly updates: number;
  /** process.hrtime.bigint() when the run started (before its first update). */
  readonly startedAt: bigint;
  readonly elapsedMs: number;
  /** True when the simulator stopped (or the signal aborted) before the run ended. */
  readonly aborted: boolean;
  /** Per symbol, the id of its last update (Binance `u`, Upbit orderbook `timestamp`, OKX `seqId`). */
  readonly finalIds: Readonly<Record<string, number>>;
  /**
   * Paced runs only: per symbol, every update's id and when it was first written to a socket
   * (process.hrtime.bigint(); 0n when no connection was subscribed, or when the update has no id of
   * its own: an OKX push with no change keeps the previous `seqId`, so no client can show it).
   */
  readonly sent?: Readonly<Record<string, SentUpdates>>;
}

export interface SentUpdates {
  readonly ids: Float64Array;
  readonly sentAt: BigInt64Array;
}

export interface PacedOptions {
  /** Updates per symbol. */
  readonly count: number;
  /** Updates per second per symbol (every symbol updates once per tick of 1000/rate ms). */
  readonly ratePerSymbol: number;
  readonly signal?: AbortSignal;
}

const PUMP_BATCH = 64;

/** What the feed needs of one exchange's books. */
interface FeedVenue {
  readonly listed: readonly string[];
  lastId(symbol: string): number;
  step(count: number, symbols: readonly string[]): void;
  book(symbol: string, limit?: number): { bids: PriceLevel[]; asks: PriceLevel[] };
}

function venueOf(market: Market, exchange: ExchangeName): FeedVenue {
  switch (exchange) {
    case 'binance':
      return {
        listed: market.binanceSymbols,
        lastId: (symbol) => market.binance(symbol).lastUpdateId,
        step: (count, symbols) => market.stepBinance(count, symbols),
        book: (symbol, limit) => market.binanceBook(symbol, limit),
      };
    case 'upbit':
      return {
        listed: market.upbitCodes,
        lastId: (code) => market.upbit(code).timestamp,
        step: (count, codes) => market.stepUpbit(count, codes),
        book: (code, limit) => market.upbitBook(code, limit),
      };
    case 'okx':
      return {
        listed: market.okxInstIds,
        lastId: (instId) => market.okx(instId).seqId,
        step: (count, instIds) => market.stepOkx(count, instIds),
        book: (instId, limit) => market.okxBook(instId, limit),
      };
  }
}

/**
 * A deterministic benchmark feed over a paused simulator: a fixed set of symbols of one exchange,
 * updated round-robin either as fast as the subscribers' sockets drain (`pump`) or at a fixed rate
 * per symbol (`paced`, recording every update's id and send time), and the true books to compare
 * clients against. Same seed + same calls = same frames. Ids: Binance `u`, Upbit orderbook
 * `timestamp`, OKX `seqId` (which an OKX push with no change leaves as it was).
 */
export class BenchFeed {
  readonly symbols: readonly string[];
  private readonly venue: FeedVenue;
  private readonly single = new Map<string, readonly string[]>();

  constructor(
    private readonly market: Market,
    readonly exchange: ExchangeName,
    symbols?: readonly string[],
  ) {
    this.venue = venueOf(market, exchange);
    const known = this.venue.listed;
    this.symbols = symbols ?? known;
    for (const symbol of this.symbols) {
      if (!known.includes(symbol))
        throw new ConfigError(
          `BenchFeed: unknown ${exchange} symbol "${symbol}": use one of ${known.join(', ')}`,
        );
      this.single.set(symbol, [symbol]);
    }
    if (this.symbols.length === 0) throw new ConfigError('BenchFeed needs at least one symbol');
    if (market.isRunning)
      throw new ConfigError('BenchFeed needs a paused simulator: start it with autoStart: false');
  }

  /** Id of the symbol's latest update: Binance lastUpdateId, Upbit orderbook timestamp, OKX seqId. */
  lastId(symbol: string): number {
    return this.venue.lastId(symbol);
  }

  /** Updates every symbol `count` times now (e.g. to let clients sync before a run). */
  step(count = 1): void {
    this.venue.step(count, this.symbols);
  }

  /** `countPerSymbol` updates of every symbol, round-robin, as fast as the subscribers' sockets drain. */
  async pump(countPerSymbol: number): Promise<BenchRun> {
    checkCount(countPerSymbol);
    const startedAt = process.hrtime.bigint();
    const total = countPerSymbol * this.symbols.length;
    const updates = await this.pumpThroughSockets(total);
    return this.result(startedAt, updates, updates < total);
  }

  /**
   * Throughput mode without the simulator in the way: produces `countPerSymbol` updates of every
   * symbol (round-robin) while every subscriber's socket is corked, so the frames queue up in memory,
   * then uncorks them all at once. `startedAt` is the uncork, so a client's rate from there is its
   * own, not the simulator's (which makes updates far slower than sockets carry them). Send times are
   * the moments frames were queued. Binance and OKX drop slow consumers over `maxBufferedBytes`: raise it.
   */
  async burst(countPerSymbol: number): Promise<BenchRun & { readonly generatedMs: number }> {
    checkCount(countPerSymbol);
    const transport = this.transport();
    const generating = process.hrtime.bigint();
    const total = countPerSymbol * this.symbols.length;
    let done = 0;
    transport?.cork();
    try {
      for (; done < total; done++) this.step1(this.symbols[done % this.symbols.length]!);
    } catch (error) {
      transport?.uncork();
      throw error;
    }
    const uncorkedAt = process.hrtime.bigint();
    transport?.uncork();
    await yieldToLoop();
    return {
      ...this.result(uncorkedAt, done, done < total),
      generatedMs: Number(uncorkedAt - generating) / 1e6,
    };
  }

  /** `count` updates per symbol at `ratePerSymbol`/s, recording each update's id and send time. */
  async paced(options: PacedOptions): Promise<BenchRun> {
    checkCount(options.count);
    if (!(options.ratePerSymbol > 0 && options.ratePerSymbol <= 1000))
      throw new ConfigError(`ratePerSymbol must be in (0, 1000], got ${options.ratePerSymbol}`);
    const sent: Record<string, SentUpdates> = {};
    for (const symbol of this.symbols) {
      sent[symbol] = { ids: new Float64Array(options.count), sentAt: new BigInt64Array(options.count) };
    }
    const intervalNs = BigInt(Math.round(1e9 / options.ratePerSymbol));
    const startedAt = process.hrtime.bigint();
    let ticks = 0;
    while (ticks < options.count && !options.signal?.aborted && !this.stopped()) {
      const owed = Number((process.hrtime.bigint() - startedAt) / intervalNs) + 1 - ticks;
      for (let i = 0; i < owed && ticks < options.count; i++, ticks++) {
        for (const symbol of this.symbols) {
          const before = this.lastId(symbol);
          this.step1(symbol);
          const id = this.lastId(symbol);
          const record = sent[symbol]!;
          record.ids[ticks] = id;
          record.sentAt[ticks] = id === before ? 0n : (this.market.sendTime(this.exchange, symbol, id) ?? 0n);
        }
      }
      const next = startedAt + BigInt(ticks) * intervalNs;
      const waitMs = Number(next - process.hrtime.bigint()) / 1e6;
      if (waitMs >= 1) await sleep(Math.floor(waitMs));
      else await yieldToLoop();
    }
    const run = this.result(startedAt, ticks * this.symbols.length, ticks < options.count);
    if (ticks < options.count) {
      for (const symbol of this.symbols) {
        const record = sent[symbol]!;
        sent[symbol] = { ids: record.ids.slice(0, ticks), sentAt: record.sentAt.slice(0, ticks) };
      }
    }
    return { ...run, sent };
  }

  /**
   * The true book now, best first (Binance and OKX: up to `limit` levels per side; Upbit: the 30
   * published units).
   */
  trueBook(symbol: string, limit?: number): { bids: PriceLevel[]; asks: PriceLevel[] } {
    const book = this.venue.book(symbol, limit);
    return { bids: book.bids, asks: book.asks };
  }

  private step1(symbol: string): void {
    this.venue.step(1, this.single.get(symbol)!);
  }

  private transport(): PumpTransport | undefined {
    return this.market.pumpTransport(this.exchange);
  }

  private stopped(): boolean {
    // A stopped simulator closes its servers, which take their transports: nothing would be sent any more.
    return this.transport() === undefined;
  }

  private async pumpThroughSockets(total: number): Promise<number> {
    const symbols = this.symbols;
    let done = 0;
    let batchesSinceYield = 0;
    while (done < total && !this.stopped()) {
      const transport = this.transport();
      const end = Math.min(total, done + PUMP_BATCH);
      transport?.cork();
      try {
        for (; done < end; done++) this.step1(symbols[done % symbols.length]!);
      } finally {
        transport?.uncork();
      }
      const drained = transport?.waitForDrain();
      if (drained) {
        await drained;
        batchesSinceYield = 0;
      } else if (++batchesSinceYield >= 16) {
        await yieldToLoop();
        batchesSinceYield = 0;
      }
    }
    return done;
  }

  private result(startedAt: bigint, updates: number, aborted: boolean): BenchRun {
    const finalIds: Record<string, number> = {};
    for (const symbol of this.symbols) finalIds[symbol] = this.lastId(symbol);
    return {
      updates,
      startedAt,
      elapsedMs: Number(process.hrtime.bigint() - startedAt) / 1e6,
      aborted,
      finalIds,
    };
  }
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 0)
    throw new ConfigError(`update count must be a non-negative integer, got ${count}`);
}
