import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type Clock, ConfigError, type MarketInfo, type PriceLevel } from '@arbitrage/core';
import { LimitHits } from '../server/limit-hits.js';
import { TimerGroup } from '../timers.js';
import { type AssetSpec, isListedOn } from './assets.js';
import { type BinanceStep, BinanceSymbolBook } from './binance-book.js';
import type { ChangeSet } from './change-set.js';
import type { LadderBook } from './ladder-book.js';
import { OkxInstrumentBook, type OkxStep } from './okx-book.js';
import { OwnRateBooks } from './own-rate-books.js';
import type { PremiumOptions } from './premium-options.js';
import { type PremiumPresetName, resolvePremiumPreset } from './premium-presets.js';
import { PriceModel } from './price-model.js';
import { Rng } from './random.js';
import { SendTimeRecorder } from './send-times.js';
import {
  UPBIT_SIZE_DECIMALS,
  UPBIT_UNITS,
  UpbitMarketBook as UpbitBook,
  type UpbitMarketBook,
  type UpbitTrade,
} from './upbit-book.js';
import { UpbitTickerState } from './upbit-ticker.js';

export type ExchangeName = 'upbit' | 'binance' | 'okx';

export interface MarketOptions {
  readonly seed: number;
  readonly assets: readonly AssetSpec[];
  readonly usdKrw?: number;
  /** Premium behaviour to start from ('calibrated' by default); `premium` and `timeScale` override it. */
  readonly premiumPreset?: PremiumPresetName;
  /** Premium options laid over the preset's. */
  readonly premium?: PremiumOptions;
  /** Model ms per wall ms (the preset's by default: calibrated 1, demo 60). */
  readonly timeScale?: number;
  readonly volatilityScale?: number;
  /** Book updates per second per Binance symbol. */
  readonly binanceUpdatesPerSecond: number;
  /** Levels per side of each Binance book. */
  readonly binanceDepth: number;
  /** Book updates per second per Upbit market. */
  readonly upbitUpdatesPerSecond: number;
  /** Book pushes per second per OKX instrument. Default 10. */
  readonly okxUpdatesPerSecond?: number;
  /** Levels per side of each OKX book. Default 400. */
  readonly okxDepth?: number;
  /** Entries kept per exchange by the send-time recorder (0 disables it). */
  readonly sendTimeCapacity: number;
  readonly clock: Clock;
}

/** A Binance book as the exchange holds it: what GET /api/v3/depth would return now, as numbers. */
export interface BinanceBookSnapshot {
  readonly symbol: string;
  readonly lastUpdateId: number;
  readonly bids: PriceLevel[];
  readonly asks: PriceLevel[];
}

/** An OKX book as the exchange holds it: what GET /api/v5/market/books would return now, as numbers. */
export interface OkxBookSnapshot {
  readonly instId: string;
  readonly seqId: number;
  /** ms; the `ts` of the last push. */
  readonly timestamp: number;
  readonly bids: PriceLevel[];
  readonly asks: PriceLevel[];
}

/** An Upbit book as the exchange publishes it now (top units), as numbers. */
export interface UpbitBookSnapshot {
  readonly code: string;
  /** ms; the `timestamp` of the frame that published this book. */
  readonly timestamp: number;
  readonly bids: PriceLevel[];
  readonly asks: PriceLevel[];
}

/** One asset's fair values. */
export interface AssetFairValues {
  readonly usd: number;
  readonly binanceMid: number;
  /** OKX <base>-USDT model mid: the USD mid with OKX's basis. */
  readonly okxMid: number;
  /** OKX's basis over the USD mid, a fraction (about ±0.05 %, mean-reverting over model minutes). */
  readonly okxBasis: number;
  readonly upbitMid: number;
  /** Premium of Upbit KRW-<base> over usd × usdKrw (the "kimchi premium"), a fraction. */
  readonly premium: number;
  /** Premium over the USDT book: upbitMid / (binanceMid × usdtKrw) − 1, what an arbitrage sees at mid. */
  readonly premiumOverUsdt: number;
}

/** The model's fair values right now (what the books are built around). */
export interface FairValues {
  /** Model time advanced by `step`/the ticker, ms. */
  readonly modelTimeMs: number;
  /** Model ms per wall ms. */
  readonly timeScale: number;
  readonly premiumPreset: PremiumPresetName;
  readonly usdKrw: number;
  /** Upbit KRW-USDT mid. */
  readonly usdtKrw: number;
  /** Premium of KRW-USDT over usdKrw, a fraction. */
  readonly usdtPremium: number;
  /** Market-wide coin premium (level + intraday + spikes), a fraction. */
  readonly commonPremium: number;
  /** The slow, days-long level of the coin premium. */
  readonly premiumLevel: number;
  /** The market-wide intraday noise of the coin premium. */
  readonly premiumIntraday: number;
  /** What remains of the demand spikes (signed). */
  readonly premiumSpike: number;
  readonly assets: Readonly<Record<string, AssetFairValues>>;
}

export interface PumpOptions {
  /** Binance symbols to update round-robin (default: all). */
  readonly symbols?: readonly string[];
  /** Number of book updates to produce. */
  readonly count: number;
}

export interface PumpResult {
  readonly updates: number;
  readonly elapsedMs: number;
  readonly updatesPerSecond: number;
  /** True when stop() ended the pump early. */
  readonly aborted: boolean;
}

/** @internal How a WebSocket server lets a pump (or the bench feed's burst) respect socket backpressure. */
export interface PumpTransport {
  cork(): void;
  uncork(): void;
  /** A promise when some subscriber's socket buffer is over its high-water mark, else undefined. */
  waitForDrain(): Promise<void> | undefined;
}

export type BinanceListener = (book: BinanceSymbolBook, step: BinanceStep, eventTime: number) => void;
export type OkxListener = (book: OkxInstrumentBook, step: OkxStep) => void;
export type UpbitListener = (book: UpbitMarketBook, trade: UpbitTrade | undefined) => void;

const PUMP_BATCH = 64;
const MAX_CATCH_UP_TICKS = 10;

/**
 * The simulated market: one price model, one true book per Binance symbol, OKX instrument and Upbit market, and a
 * ticker that advances them in real time (or `step()` to drive them by hand). Deterministic for a
 * seed and a sequence of calls: each book draws from its own PRNG stream.
 */
export class Market {
  readonly binanceSymbols: readonly string[];
  readonly upbitCodes: readonly string[];
  /** OKX instrument ids ('BTC-USDT', …), the same assets as Binance. */
  readonly okxInstIds: readonly string[];
  /** Wall time per tick, ms (each tick advances the model by tickMs × timeScale). */
  readonly tickMs: number;
  /** Model ms per wall ms. */
  readonly timeScale: number;
  readonly premiumPreset: PremiumPresetName;
  /** @internal */
  readonly binanceSendTimes: SendTimeRecorder;
  /** @internal */
  readonly upbitSendTimes: SendTimeRecorder;
  /** @internal */
  readonly okxSendTimes: SendTimeRecorder;
  /** @internal Exchange limits clients ran into (the servers record them). */
  readonly limitHits = new LimitHits();
  private readonly model: PriceModel;
  private readonly binanceBooks = new Map<string, BinanceSymbolBook>();
  private readonly upbitBooks = new Map<string, UpbitMarketBook>();
  private readonly okxBooks = new Map<string, OkxInstrumentBook>();
  private readonly tickers = new Map<string, UpbitTickerState>();
  private readonly lastUpbitTrades = new Map<string, UpbitTrade>();
  private readonly binanceListeners: BinanceListener[] = [];
  private readonly upbitListeners: UpbitListener[] = [];
  private readonly okxListeners: OkxListener[] = [];
  private readonly timers: TimerGroup;
  private readonly binanceCreditPerTick: number;
  private readonly upbitCreditPerTick: number;
  private readonly okxCreditPerTick: number;
  /** Books with their own rate (AssetSpec.updatesPerSecond); the rest share the exchange's rate. */
  private readonly ownRate = new OwnRateBooks();
  private readonly sharedBinance: BinanceSymbolBook[] = [];
  private readonly sharedUpbit: UpbitMarketBook[] = [];
  private readonly sharedOkx: OkxInstrumentBook[] = [];
  private binanceCredit = 0;
  private upbitCredit = 0;
  private okxCredit = 0;
  private running = false;
  private stopped = false;
  private startedAt = 0;
  private ticksDone = 0;
  private readonly pumpTransports = new Map<ExchangeName, PumpTransport>();

  constructor(private readonly options: MarketOptions) {
    const { seed, assets, clock } = options;
    const okxRate = options.okxUpdatesPerSecond ?? 10;
    const okxDepth = options.okxDepth ?? 400;
    for (const [name, rate] of [
      ['binance updatesPerSecond', options.binanceUpdatesPerSecond],
      ['upbit updatesPerSecond', options.upbitUpdatesPerSecond],
      ['okx updatesPerSecond', okxRate],
    ] as const) {
      if (!(rate > 0 && rate <= 100_000))
        throw new ConfigError(`${name} must be in (0, 100000], got ${rate}`);
    }
    if (
      !Number.isInteger(options.binanceDepth) ||
      options.binanceDepth < 5 ||
      options.binanceDepth > 20_000
    ) {
      throw new ConfigError(
        `binance depthLevels must be an integer in [5, 20000], got ${options.binanceDepth}`,
      );
    }
    if (!Number.isInteger(okxDepth) || okxDepth < 5 || okxDepth > 5_000) {
      throw new ConfigError(`okx depthLevels must be an integer in [5, 5000], got ${okxDepth}`);
    }
    this.timers = new TimerGroup(clock);
    const premium = resolvePremiumPreset(options.premiumPreset, options.premium, options.timeScale);
    this.premiumPreset = premium.preset;
    this.timeScale = premium.timeScale;
    this.model = new PriceModel({
      seed,
      assets,
      usdKrw: options.usdKrw,
      premium: premium.premium,
      volatilityScale: options.volatilityScale,
    });
    const assetRates = assets.flatMap((asset) => Object.values(asset.updatesPerSecond ?? {}));
    const maxRate = Math.max(
      options.binanceUpdatesPerSecond,
      options.upbitUpdatesPerSecond,
      okxRate,
      ...assetRates.filter((rate): rate is number => rate !== undefined),
    );
    this.tickMs = Math.max(1, Math.min(100, Math.floor(1000 / maxRate)));
    this.binanceCreditPerTick = (options.binanceUpdatesPerSecond * this.tickMs) / 1000;
    this.upbitCreditPerTick = (options.upbitUpdatesPerSecond * this.tickMs) / 1000;
    this.okxCreditPerTick = (okxRate * this.tickMs) / 1000;
    const now = clock.now();
    for (const asset of assets) {
      if (isListedOn(asset, 'binance')) {
        const rate = asset.updatesPerSecond?.binance;
        const book = new BinanceSymbolBook(asset, {
          seed,
          asset,
          depth: options.binanceDepth,
          updatesPerSecond: rate ?? options.binanceUpdatesPerSecond,
          mid: this.model.binanceMid(asset.base),
        });
        this.binanceBooks.set(book.symbol, book);
        if (rate === undefined) this.sharedBinance.push(book);
        else this.ownRate.add(rate, this.tickMs, () => this.stepBinanceBook(book));
      }
      if (isListedOn(asset, 'okx')) {
        const rate = asset.updatesPerSecond?.okx;
        const okx = new OkxInstrumentBook(asset, {
          seed,
          asset,
          depth: okxDepth,
          updatesPerSecond: rate ?? okxRate,
          mid: this.model.okxMid(asset.base),
        });
        okx.timestamp = now;
        this.okxBooks.set(okx.instId, okx);
        if (rate === undefined) this.sharedOkx.push(okx);
        else this.ownRate.add(rate, this.tickMs, () => this.stepOkxBook(okx));
      }
    }
    const upbitAssets: Array<{ base: string; volatility: number; levelKrw: number; rate?: number }> = assets
      .filter((asset) => isListedOn(asset, 'upbit'))
      .map((asset) => ({
        base: asset.base,
        volatility: asset.annualVolatility,
        levelKrw: asset.levelNotionalUsd * this.model.usdKrw * 1.5,
        rate: asset.updatesPerSecond?.upbit,
      }));
    upbitAssets.push({ base: 'USDT', volatility: 0.08, levelKrw: 30_000_000 });
    for (const { base, volatility, levelKrw, rate } of upbitAssets) {
      const mid = this.model.upbitMid(base);
      const book = new UpbitBook(base, {
        seed,
        base,
        mid,
        updatesPerSecond: rate ?? options.upbitUpdatesPerSecond,
        annualVolatility: volatility,
        levelNotionalKrw: levelKrw,
      });
      book.timestamp = now;
      this.upbitBooks.set(book.code, book);
      if (rate === undefined) this.sharedUpbit.push(book);
      else this.ownRate.add(rate, this.tickMs, () => this.stepUpbitBook(book));
      const rng = new Rng(seed, `upbit-ticker:${book.code}`);
      this.tickers.set(
        book.code,
        new UpbitTickerState(mid, now, rng, (price) =>
          book.priceOf(book.ladder.grid.floor(price * 10 ** book.priceDecimals)),
        ),
      );
    }
    this.binanceSymbols = [...this.binanceBooks.keys()];
    this.upbitCodes = [...this.upbitBooks.keys()];
    this.okxInstIds = [...this.okxBooks.keys()];
    const capacity = options.sendTimeCapacity;
    this.binanceSendTimes = new SendTimeRecorder(capacity);
    this.upbitSendTimes = new SendTimeRecorder(capacity);
    this.okxSendTimes = new SendTimeRecorder(capacity);
  }

  /** Runs `count` ticks (the model advances tickMs × timeScale each), updating every book at its rate. */
  step(count = 1): void {
    for (let i = 0; i < count; i++) this.tick();
  }

  /** Updates only the Binance books (or the named ones) `count` times each, without moving the model. */
  stepBinance(count = 1, symbols: readonly string[] = this.binanceSymbols): void {
    const books = symbols.map((symbol) => this.binance(symbol));
    for (let i = 0; i < count; i++) for (const book of books) this.stepBinanceBook(book);
  }

  /** Updates only the Upbit books (or the named ones) `count` times each, without moving the model. */
  stepUpbit(count = 1, codes: readonly string[] = this.upbitCodes): void {
    const books = codes.map((code) => this.upbit(code));
    for (let i = 0; i < count; i++) for (const book of books) this.stepUpbitBook(book);
  }

  /** Updates only the OKX books (or the named ones) `count` times each, without moving the model. */
  stepOkx(count = 1, instIds: readonly string[] = this.okxInstIds): void {
    const books = instIds.map((instId) => this.okx(instId));
    for (let i = 0; i < count; i++) for (const book of books) this.stepOkxBook(book);
  }

  /** True while the automatic ticker runs. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Starts (or restarts) the automatic ticker. */
  resume(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.startedAt = this.options.clock.now();
    this.ticksDone = 0;
    this.scheduleTick();
  }

  /** Stops the automatic ticker; books stay as they are until step() or resume(). */
  pause(): void {
    this.running = false;
    this.timers.clear();
  }

  /**
   * Produces `count` Binance updates as fast as the subscribers' sockets accept them (each step is
   * sent at once; the loop waits for 'drain' whenever a socket buffer is over its high-water mark).
   * The model does not move: the books wander around their current mids.
   */
  async pump(options: PumpOptions): Promise<PumpResult> {
    const books = (options.symbols ?? this.binanceSymbols).map((symbol) => this.binance(symbol));
    if (!Number.isInteger(options.count) || options.count < 0) {
      throw new ConfigError(`pump count must be a non-negative integer, got ${options.count}`);
    }
    const started = performance.now();
    let done = 0;
    let batchesSinceYield = 0;
    while (done < options.count && !this.stopped) {
      const end = Math.min(options.count, done + PUMP_BATCH);
      const transport = this.pumpTransports.get('binance');
      transport?.cork();
      try {
        for (; done < end; done++) this.stepBinanceBook(books[done % books.length]!);
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
    const elapsedMs = performance.now() - started;
    return {
      updates: done,
      elapsedMs,
      updatesPerSecond: elapsedMs > 0 ? (done * 1000) / elapsedMs : 0,
      aborted: done < options.count,
    };
  }

  /** The true Binance book (best first), optionally only the best `limit` levels per side. */
  binanceBook(symbol: string, limit = Number.POSITIVE_INFINITY): BinanceBookSnapshot {
    const book = this.binance(symbol);
    return {
      symbol: book.symbol,
      lastUpdateId: book.lastUpdateId,
      bids: book.levels(true, limit),
      asks: book.levels(false, limit),
    };
  }

  /** The true OKX book (best first), optionally only the best `limit` levels per side. */
  okxBook(instId: string, limit = Number.POSITIVE_INFINITY): OkxBookSnapshot {
    const book = this.okx(instId);
    return {
      instId: book.instId,
      seqId: book.seqId,
      timestamp: book.timestamp,
      bids: book.levels(true, limit),
      asks: book.levels(false, limit),
    };
  }

  /** The Upbit book as published (best first, at most 30 units). */
  upbitBook(code: string, count = UPBIT_UNITS): UpbitBookSnapshot {
    const book = this.upbit(code);
    return {
      code: book.code,
      timestamp: book.timestamp,
      bids: book.levels(true, count),
      asks: book.levels(false, count),
    };
  }

  /**
   * When the update was first written to a socket (process.hrtime.bigint()): Binance by symbol and
   * final update id `u`, Upbit by code and orderbook `timestamp`, OKX by instId and `seqId`.
   * Undefined if never sent or evicted.
   */
  sendTime(exchange: ExchangeName, symbol: string, id: number): bigint | undefined {
    const recorder =
      exchange === 'binance'
        ? this.binanceSendTimes
        : exchange === 'okx'
          ? this.okxSendTimes
          : this.upbitSendTimes;
    return recorder.get(symbol, id);
  }

  fairValues(): FairValues {
    const model = this.model;
    const usdtKrw = model.upbitMid('USDT');
    const assets: Record<string, AssetFairValues> = {};
    for (const asset of this.options.assets) {
      const base = asset.base;
      const upbitMid = model.upbitMid(base);
      assets[base] = {
        usd: model.usdMid(base),
        binanceMid: model.binanceMid(base),
        okxMid: model.okxMid(base),
        okxBasis: model.okxBasis(base),
        upbitMid,
        premium: model.premium(base),
        premiumOverUsdt: upbitMid / (model.binanceMid(base) * usdtKrw) - 1,
      };
    }
    return {
      modelTimeMs: model.timeMs,
      timeScale: this.timeScale,
      premiumPreset: this.premiumPreset,
      usdKrw: model.usdKrw,
      usdtKrw,
      usdtPremium: model.usdtPremiumValue,
      commonPremium: model.commonPremium,
      premiumLevel: model.premiums.levelValue,
      premiumIntraday: model.premiums.intradayValue,
      premiumSpike: model.premiums.spikeTotal,
      assets,
    };
  }

  /** Static market facts in the core's shape, for every exchange. */
  marketInfo(): MarketInfo[] {
    const out: MarketInfo[] = [];
    for (const book of this.binanceBooks.values()) {
      const filters = book.asset.binance;
      out.push({
        exchange: 'binance',
        symbol: `${book.asset.base}/USDT`,
        nativeSymbol: book.symbol,
        base: book.asset.base,
        quote: 'USDT',
        tickSize: filters.tickSize,
        lotSize: filters.stepSize,
        minNotional: filters.minNotional,
      });
    }
    for (const book of this.okxBooks.values()) {
      out.push({
        exchange: 'okx',
        symbol: `${book.asset.base}/USDT`,
        nativeSymbol: book.instId,
        base: book.asset.base,
        quote: 'USDT',
        tickSize: book.tickSize,
        lotSize: book.lotSize,
      });
    }
    for (const book of this.upbitBooks.values()) {
      out.push({
        exchange: 'upbit',
        symbol: `${book.base}/KRW`,
        nativeSymbol: book.code,
        base: book.base,
        quote: 'KRW',
        lotSize: 10 ** -UPBIT_SIZE_DECIMALS,
        minNotional: 5000,
      });
    }
    return out;
  }

  /**
   * Shifts one book's prices by `bps` basis points now (and keeps the offset): the next update is
   * published at once, sweeping the levels the move crossed.
   */
  moveBook(exchange: ExchangeName, symbol: string, bps: number): void {
    if (!Number.isFinite(bps) || bps <= -10_000)
      throw new ConfigError(`moveBook bps must be finite and > -10000, got ${bps}`);
    const factor = 1 + bps / 10_000;
    if (exchange === 'binance') {
      const book = this.binance(symbol);
      book.offset = (1 + book.offset) * factor - 1;
      const mid = this.model.binanceMid(book.asset.base);
      this.mutateBinance(symbol, (ladder, changes) => ladder.follow(book.midKey(mid), changes));
    } else if (exchange === 'okx') {
      const book = this.okx(symbol);
      book.offset = (1 + book.offset) * factor - 1;
      const mid = this.model.okxMid(book.asset.base);
      this.mutateOkx(symbol, (ladder, changes) => ladder.follow(book.midKey(mid), changes));
    } else {
      const book = this.upbit(symbol);
      book.offset = (1 + book.offset) * factor - 1;
      const mid = this.model.upbitMid(book.base);
      this.mutateUpbit(symbol, (ladder, changes) => ladder.follow(book.midKey(mid), changes));
    }
  }

  /** @internal Applies a mutation to a Binance book and publishes it as one update. */
  mutateBinance(symbol: string, mutation: (ladder: LadderBook, changes: ChangeSet) => void): void {
    const book = this.binance(symbol);
    const step = book.mutate(mutation);
    this.emitBinance(book, step);
  }

  /** @internal Applies a mutation to an OKX book and publishes it as one push. */
  mutateOkx(instId: string, mutation: (ladder: LadderBook, changes: ChangeSet) => void): void {
    const book = this.okx(instId);
    this.emitOkx(book, book.mutate(mutation));
  }

  /** @internal Restarts an OKX book's sequence lower (docs/protocols/okx.md E7) with one push now. */
  resetOkxSequence(instId: string): void {
    const book = this.okx(instId);
    this.emitOkx(book, book.resetSequence());
  }

  /** @internal Applies a mutation to an Upbit book and publishes it as one update. */
  mutateUpbit(code: string, mutation: (ladder: LadderBook, changes: ChangeSet) => void): void {
    const book = this.upbit(code);
    book.mutate(mutation, this.options.clock.now());
    for (const listener of this.upbitListeners) listener(book, undefined);
  }

  /** @internal */
  binance(symbol: string): BinanceSymbolBook {
    const book = this.binanceBooks.get(symbol.toUpperCase());
    if (!book)
      throw new ConfigError(
        `unknown Binance symbol "${symbol}": use one of ${this.binanceSymbols.join(', ')}`,
      );
    return book;
  }

  /** @internal */
  upbit(code: string): UpbitMarketBook {
    const book = this.upbitBooks.get(code.toUpperCase());
    if (!book)
      throw new ConfigError(`unknown Upbit market "${code}": use one of ${this.upbitCodes.join(', ')}`);
    return book;
  }

  /** @internal */
  okx(instId: string): OkxInstrumentBook {
    const book = this.okxBooks.get(instId.toUpperCase());
    if (!book)
      throw new ConfigError(`unknown OKX instrument "${instId}": use one of ${this.okxInstIds.join(', ')}`);
    return book;
  }

  /** @internal Exact (case-sensitive) look-up, as OKX matches instId. */
  findOkx(instId: string): OkxInstrumentBook | undefined {
    return this.okxBooks.get(instId);
  }

  /** @internal */
  hasBinance(symbol: string): boolean {
    return this.binanceBooks.has(symbol);
  }

  /** @internal */
  findUpbit(code: string): UpbitMarketBook | undefined {
    return this.upbitBooks.get(code);
  }

  /** @internal Korean and English names of an Upbit market's base asset. */
  upbitNames(code: string): { korean: string; english: string } {
    const base = this.upbit(code).base;
    const spec = this.options.assets.find((asset) => asset.base === base);
    return spec
      ? { korean: spec.koreanName, english: spec.englishName }
      : { korean: '테더', english: 'Tether' };
  }

  /** @internal */
  upbitTicker(code: string): UpbitTickerState {
    const ticker = this.tickers.get(code);
    if (!ticker) throw new ConfigError(`unknown Upbit market "${code}"`);
    return ticker;
  }

  /** @internal */
  lastUpbitTrade(code: string): UpbitTrade | undefined {
    return this.lastUpbitTrades.get(code);
  }

  /** @internal */
  onBinance(listener: BinanceListener): void {
    this.binanceListeners.push(listener);
  }

  /** @internal */
  onUpbit(listener: UpbitListener): void {
    this.upbitListeners.push(listener);
  }

  /** @internal */
  onOkx(listener: OkxListener): void {
    this.okxListeners.push(listener);
  }

  /**
   * @internal An exchange's WebSocket server's backpressure hooks (the bench feed corks them);
   * undefined once the server closed.
   */
  pumpTransport(exchange: ExchangeName): PumpTransport | undefined {
    return this.pumpTransports.get(exchange);
  }

  /** @internal Set by each WebSocket server when it starts, cleared (undefined) when it closes. */
  setPumpTransport(exchange: ExchangeName, transport: PumpTransport | undefined): void {
    if (transport) this.pumpTransports.set(exchange, transport);
    else this.pumpTransports.delete(exchange);
  }

  /** @internal Stops the ticker for good and ends any pump. */
  stop(): void {
    this.stopped = true;
    this.pause();
    this.binanceListeners.length = 0;
    this.upbitListeners.length = 0;
    this.okxListeners.length = 0;
  }

  private scheduleTick(): void {
    const clock = this.options.clock;
    const due = this.startedAt + (this.ticksDone + 1) * this.tickMs;
    this.timers.after(Math.max(0, due - clock.now()), () => {
      if (!this.running) return;
      const owed = Math.floor((clock.now() - this.startedAt) / this.tickMs) - this.ticksDone;
      const run = Math.min(Math.max(owed, 1), MAX_CATCH_UP_TICKS);
      for (let i = 0; i < run; i++) this.tick();
      // Far behind (a stalled event loop): skip the backlog rather than burst through it.
      this.ticksDone += owed > MAX_CATCH_UP_TICKS ? owed : run;
      if (this.running) this.scheduleTick();
    });
  }

  private tick(): void {
    this.model.advance(this.tickMs * this.timeScale);
    this.binanceCredit += this.binanceCreditPerTick;
    while (this.binanceCredit >= 1 - 1e-9) {
      this.binanceCredit -= 1;
      for (const book of this.sharedBinance) this.stepBinanceBook(book);
    }
    this.upbitCredit += this.upbitCreditPerTick;
    while (this.upbitCredit >= 1 - 1e-9) {
      this.upbitCredit -= 1;
      for (const book of this.sharedUpbit) this.stepUpbitBook(book);
    }
    this.okxCredit += this.okxCreditPerTick;
    while (this.okxCredit >= 1 - 1e-9) {
      this.okxCredit -= 1;
      for (const book of this.sharedOkx) this.stepOkxBook(book);
    }
    this.ownRate.tick();
  }

  private stepOkxBook(book: OkxInstrumentBook): void {
    const step = book.step(this.model.okxMid(book.asset.base));
    if (step) this.emitOkx(book, step);
  }

  private emitOkx(book: OkxInstrumentBook, step: OkxStep): void {
    book.timestamp = this.options.clock.now();
    for (const listener of this.okxListeners) listener(book, step);
  }

  private stepBinanceBook(book: BinanceSymbolBook): void {
    const step = book.step(this.model.binanceMid(book.asset.base));
    if (step) this.emitBinance(book, step);
  }

  private emitBinance(book: BinanceSymbolBook, step: BinanceStep): void {
    const eventTime = this.options.clock.now();
    for (const listener of this.binanceListeners) listener(book, step, eventTime);
  }

  private stepUpbitBook(book: UpbitMarketBook): void {
    const result = book.step(this.model.upbitMid(book.base), this.options.clock.now());
    if (!result) return;
    const trade = result.trade;
    if (trade) {
      this.lastUpbitTrades.set(book.code, trade);
      this.upbitTicker(book.code).onTrade(
        book.priceOf(trade.priceKey),
        book.sizeOf(trade.lots),
        trade.askBid,
        trade.timestamp,
      );
    }
    for (const listener of this.upbitListeners) listener(book, trade);
  }
}
