import {
  emptyInstrumentCounters,
  type InstrumentHealth,
  type InstrumentId,
  type InstrumentState,
  Listeners,
  type OrderBookSnapshot,
  type PriceLevel,
  type ProviderHealth,
  parseInstrumentId,
} from '@arbitrage/core';
import type { PublishedProvider } from '../../src/index.js';

interface Scripted {
  state: InstrumentState;
  reason: string | undefined;
  since: number;
  snapshot: OrderBookSnapshot | undefined;
  step: number;
}

/** An in-process provider the test drives: books and states exactly when told. */
export class ScriptedProvider implements PublishedProvider {
  private readonly entries = new Map<InstrumentId, Scripted>();
  private readonly snapshots = new Listeners<OrderBookSnapshot>((error) => {
    throw error;
  });
  private readonly changes = new Listeners<InstrumentHealth>((error) => {
    throw error;
  });

  constructor(readonly ids: readonly InstrumentId[]) {
    for (const id of ids) {
      this.entries.set(id, {
        state: 'connecting',
        reason: 'not started',
        since: Date.now(),
        snapshot: undefined,
        step: 0,
      });
    }
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** A new sound book for `id` (levels: 20 per side), emitted like a provider's update; marks it live. */
  push(id: InstrumentId): OrderBookSnapshot {
    const entry = this.entries.get(id)!;
    entry.step += 1;
    const { exchange, symbol, base, quote } = parseInstrumentId(id);
    const mid = 100 + (entry.step % 50);
    const bids: PriceLevel[] = [];
    const asks: PriceLevel[] = [];
    for (let i = 0; i < 20; i++) {
      bids.push([mid - 0.5 - i, 1 + ((entry.step + i) % 7)]);
      asks.push([mid + 0.5 + i, 1 + ((entry.step * 3 + i) % 5)]);
    }
    const now = Date.now();
    const snapshot: OrderBookSnapshot = {
      exchange,
      symbol,
      nativeSymbol: nativeOf(exchange, base, quote),
      bids,
      asks,
      sequence: entry.step,
      exchangeTime: now - 1,
      receivedAt: now,
      source: 'ws',
    };
    entry.snapshot = snapshot;
    if (entry.state !== 'live') this.setState(id, 'live');
    this.snapshots.emit(snapshot);
    return snapshot;
  }

  setState(id: InstrumentId, state: InstrumentState, reason?: string): void {
    const entry = this.entries.get(id)!;
    entry.state = state;
    entry.reason = reason;
    entry.since = Date.now();
    this.changes.emit(this.healthOf(id));
  }

  getLatestSnapshot(symbol: string): OrderBookSnapshot | undefined {
    return this.entries.get(symbol as InstrumentId)?.snapshot;
  }

  onSnapshot(listener: (snapshot: OrderBookSnapshot) => void): () => void {
    return this.snapshots.add(listener);
  }

  onHealthChange(listener: (health: InstrumentHealth) => void): () => void {
    return this.changes.add(listener);
  }

  health(): ProviderHealth {
    const instruments: Record<InstrumentId, InstrumentHealth> = {};
    for (const id of this.ids) instruments[id] = this.healthOf(id);
    return {
      at: Date.now(),
      allLive: this.ids.every((id) => instruments[id]!.state === 'live'),
      instruments,
    };
  }

  private healthOf(id: InstrumentId): InstrumentHealth {
    const entry = this.entries.get(id)!;
    const { exchange, symbol, base, quote } = parseInstrumentId(id);
    return {
      instrument: id,
      exchange,
      symbol,
      nativeSymbol: nativeOf(exchange, base, quote),
      state: entry.state,
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
      since: entry.since,
      source: 'ws',
      counters: emptyInstrumentCounters(),
    };
  }
}

/** As the exchanges write them: Upbit 'KRW-BTC', the others 'BTCUSDT'. */
function nativeOf(exchange: string, base: string, quote: string): string {
  return exchange === 'upbit' ? `${quote}-${base}` : `${base}${quote}`;
}
