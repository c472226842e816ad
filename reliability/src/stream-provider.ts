import {
  type ExchangePlugin,
  emptyInstrumentCounters,
  formatInstrumentId,
  type InstrumentHealth,
  type InstrumentId,
  type OrderBookSnapshot,
  type OrderBookStream,
  type OrderBookStreamOptions,
  type ProviderHealth,
  parseInstrumentId,
} from '@arbitrage/core';
import type { ObservedProvider } from './observed-provider.js';

interface Entry {
  readonly id: InstrumentId;
  readonly plugin: ExchangePlugin;
  readonly symbol: string;
  readonly stream: OrderBookStream;
}

/**
 * The exchange streams seen through the provider surface, without any provider logic: every live
 * update is a snapshot, every state change a health change. It let the matrix prove itself before
 * the providers existed, and it stays in the matrix as the `stream` column: the baseline that
 * separates an exchange-package bug from a provider bug.
 */
export class StreamProvider implements ObservedProvider {
  private readonly entries = new Map<InstrumentId, Entry>();
  private readonly streams: OrderBookStream[] = [];
  private readonly snapshotListeners = new Set<(snapshot: OrderBookSnapshot) => void>();
  private readonly healthListeners = new Set<(health: InstrumentHealth) => void>();
  private readonly unsubscribers: (() => void)[] = [];

  constructor(
    private readonly options: {
      readonly exchanges: readonly ExchangePlugin[];
      /** Instrument ids ('binance:BTC/USDT'). */
      readonly symbols: readonly string[];
      readonly depth?: number;
      readonly stream?: Partial<OrderBookStreamOptions> & Record<string, unknown>;
    },
  ) {}

  async start(): Promise<void> {
    for (const plugin of this.options.exchanges) {
      const symbols = this.options.symbols
        .map((id) => parseInstrumentId(id))
        .filter((parsed) => parsed.exchange === plugin.id)
        .map((parsed) => parsed.symbol);
      if (symbols.length === 0) continue;
      const stream = plugin.createOrderBookStream({ ...this.options.stream, symbols });
      this.streams.push(stream);
      for (const symbol of symbols) {
        const id = formatInstrumentId(plugin.id, symbol);
        this.entries.set(id, { id, plugin, symbol, stream });
      }
      this.unsubscribers.push(
        stream.onUpdate((live) => {
          const snapshot = live.snapshot(this.options.depth);
          for (const listener of this.snapshotListeners) listener(snapshot);
        }),
        stream.onStateChange((change) => {
          const id = formatInstrumentId(plugin.id, change.symbol);
          const health = this.instrumentHealth(this.entries.get(id)!, Date.now());
          for (const listener of this.healthListeners) listener(health);
        }),
      );
    }
    await Promise.all(this.streams.map((stream) => stream.start()));
  }

  async stop(): Promise<void> {
    for (const off of this.unsubscribers.splice(0)) off();
    await Promise.all(this.streams.splice(0).map((stream) => stream.stop()));
    this.entries.clear();
  }

  getLatestSnapshot(symbol: string): OrderBookSnapshot | undefined {
    const entry = this.entries.get(symbol as InstrumentId);
    if (!entry) throw new Error(`unknown instrument ${symbol}: use an id like 'binance:BTC/USDT'`);
    return entry.stream.book(entry.symbol)?.snapshot(this.options.depth);
  }

  onSnapshot(listener: (snapshot: OrderBookSnapshot) => void): () => void {
    this.snapshotListeners.add(listener);
    return () => this.snapshotListeners.delete(listener);
  }

  onHealthChange(listener: (health: InstrumentHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  health(): ProviderHealth {
    const at = Date.now();
    const instruments: Record<InstrumentId, InstrumentHealth> = {};
    for (const entry of this.entries.values()) instruments[entry.id] = this.instrumentHealth(entry, at);
    const all = Object.values(instruments);
    return { at, allLive: all.length > 0 && all.every((h) => h.state === 'live'), instruments };
  }

  private instrumentHealth(entry: Entry, at: number): InstrumentHealth {
    const status = entry.stream.status(entry.symbol) ?? { state: 'connecting' as const, since: at };
    const book = entry.stream.book(entry.symbol);
    const lastUpdateAt = book && book.receivedAt > 0 ? book.receivedAt : undefined;
    return {
      ...status,
      instrument: entry.id,
      exchange: entry.plugin.id,
      symbol: entry.symbol,
      nativeSymbol: entry.plugin.symbols.toNative(entry.symbol),
      source: 'ws',
      ...(lastUpdateAt === undefined ? {} : { lastUpdateAt, ageMs: at - lastUpdateAt }),
      counters: { ...(entry.stream.counters(entry.symbol) ?? emptyInstrumentCounters()) },
    };
  }
}
