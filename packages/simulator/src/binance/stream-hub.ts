import type { BinanceStep, BinanceSymbolBook } from '../model/binance-book.js';
import type { Market } from '../model/market.js';
import { DiffAccumulator } from './diff-accumulator.js';
import {
  aggTradeFrame,
  bookTickerFrame,
  combinedFrame,
  diffFrame,
  partialFrame,
  tradeFrame,
} from './frames.js';
import type { StreamKind, StreamSpec } from './streams.js';

/** What the hub needs from a connection. */
export interface StreamSubscriber {
  readonly combined: boolean;
  deliver(symbol: string, kind: StreamKind, data: string): void;
}

interface StreamEntry {
  readonly spec: StreamSpec;
  readonly subscribers: Set<StreamSubscriber>;
}

class SymbolFeed {
  readonly streams = new Map<string, StreamEntry>();
  readonly accumulators = new Map<100 | 1000, DiffAccumulator>();

  /** Keeps one accumulator per diff interval that has subscribers. */
  refreshAccumulators(): void {
    for (const interval of [100, 1000] as const) {
      let wanted = false;
      for (const entry of this.streams.values()) {
        if (entry.spec.kind === 'diff' && entry.spec.intervalMs === interval && entry.subscribers.size > 0)
          wanted = true;
      }
      if (wanted && !this.accumulators.has(interval)) this.accumulators.set(interval, new DiffAccumulator());
      if (!wanted) this.accumulators.delete(interval);
    }
  }
}

/**
 * Fans Binance book updates out to subscribed connections. Each update is serialised at most once
 * per stream (and once more per stream name for the combined wrapper), whatever the number of
 * subscribers. Depth streams follow their cadence in book time: with `updatesPerSecond` updates per
 * second, @depth@100ms flushes when book time crosses a 100 ms boundary and @depth at 1000 ms.
 */
export class BinanceStreamHub {
  private readonly feeds = new Map<string, SymbolFeed>();
  private readonly stepMs: number;

  constructor(
    private readonly market: Market,
    updatesPerSecond: number,
  ) {
    this.stepMs = 1000 / updatesPerSecond;
    market.onBinance((book, step, eventTime) => this.onStep(book, step, eventTime));
  }

  add(subscriber: StreamSubscriber, spec: StreamSpec): void {
    if (spec.kind === 'silent') return;
    let feed = this.feeds.get(spec.symbol);
    if (!feed) {
      feed = new SymbolFeed();
      this.feeds.set(spec.symbol, feed);
    }
    let entry = feed.streams.get(spec.name);
    if (!entry) {
      entry = { spec, subscribers: new Set() };
      feed.streams.set(spec.name, entry);
    }
    entry.subscribers.add(subscriber);
    feed.refreshAccumulators();
  }

  remove(subscriber: StreamSubscriber, spec: StreamSpec): void {
    const feed = this.feeds.get(spec.symbol);
    const entry = feed?.streams.get(spec.name);
    if (!feed || !entry) return;
    entry.subscribers.delete(subscriber);
    if (entry.subscribers.size === 0) feed.streams.delete(spec.name);
    feed.refreshAccumulators();
    if (feed.streams.size === 0) this.feeds.delete(spec.symbol);
  }

  private crossed(updates: number, intervalMs: number): boolean {
    return (
      Math.floor((updates * this.stepMs) / intervalMs) !==
      Math.floor(((updates - 1) * this.stepMs) / intervalMs)
    );
  }

  private onStep(book: BinanceSymbolBook, step: BinanceStep, eventTime: number): void {
    const feed = this.feeds.get(book.symbol);
    if (!feed) return;
    const flush100 = this.crossed(book.updates, 100);
    const flush1000 = this.crossed(book.updates, 1000);
    let diff100: string | undefined;
    let diff1000: string | undefined;
    for (const [interval, accumulator] of feed.accumulators) {
      const flush = interval === 100 ? flush100 : flush1000;
      let frame: string | undefined;
      if (flush && accumulator.isEmpty) {
        const c = step.changes;
        frame = diffFrame(
          book,
          eventTime,
          step.firstId,
          step.lastId,
          c.bidKeys,
          c.bidLots,
          c.askKeys,
          c.askLots,
        );
      } else {
        accumulator.add(step);
        if (flush) frame = accumulator.flush(book, eventTime);
      }
      if (frame !== undefined) {
        this.market.binanceSendTimes.record(book.symbol, step.lastId);
        if (interval === 100) diff100 = frame;
        else diff1000 = frame;
      }
    }
    let partials: Map<number, string> | undefined;
    for (const entry of feed.streams.values()) {
      const spec = entry.spec;
      let frame: string | undefined;
      switch (spec.kind) {
        case 'diff':
          frame = spec.intervalMs === 100 ? diff100 : diff1000;
          break;
        case 'partial': {
          if (!(spec.intervalMs === 100 ? flush100 : flush1000)) break;
          partials ??= new Map();
          frame = partials.get(spec.levels);
          if (frame === undefined) {
            frame = partialFrame(book, spec.levels);
            partials.set(spec.levels, frame);
          }
          break;
        }
        case 'bookTicker':
          if (step.topChanged) frame = bookTickerFrame(book);
          break;
        case 'trade':
          if (step.trade) frame = tradeFrame(book, step.trade, eventTime);
          break;
        case 'aggTrade':
          if (step.trade) frame = aggTradeFrame(book, step.trade, eventTime);
          break;
        case 'silent':
          break;
      }
      if (frame !== undefined) this.deliver(entry, book.symbol, frame);
    }
  }

  private deliver(entry: StreamEntry, symbol: string, raw: string): void {
    let combined: string | undefined;
    const kind = entry.spec.kind;
    for (const subscriber of entry.subscribers) {
      if (subscriber.combined) {
        combined ??= combinedFrame(entry.spec.name, raw);
        subscriber.deliver(symbol, kind, combined);
      } else subscriber.deliver(symbol, kind, raw);
    }
  }
}
