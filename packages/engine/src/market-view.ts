import type { InstrumentState, OrderBookSnapshot, ProviderHealth } from '@arbitrage/core';

/** What the engine knows about one market: its latest snapshot and what the provider says of it. */
export interface BookSlot {
  readonly exchange: string;
  readonly symbol: string;
  readonly snapshot: OrderBookSnapshot | undefined;
  /** Provider state; undefined until health is handed in (then age and crossing still gate). */
  readonly state: InstrumentState | undefined;
  readonly stateReason: string | undefined;
}

interface MutableBookSlot {
  readonly exchange: string;
  readonly symbol: string;
  snapshot: OrderBookSnapshot | undefined;
  state: InstrumentState | undefined;
  stateReason: string | undefined;
}

/** Looks up the latest book of a market; the paper broker asks one at fill time. */
export type BookSource = (exchange: string, symbol: string) => OrderBookSnapshot | undefined;

/**
 * The latest snapshot and health state per market, handed in by whoever owns the providers (the
 * runner, or a test). Holds references only: storing a snapshot copies nothing. Markets not
 * tracked (no slot) are ignored, so a provider can forward everything it has.
 */
export class MarketView {
  private readonly byExchange = new Map<string, Map<string, MutableBookSlot>>();

  /** Starts tracking a market (idempotent) and returns its slot. */
  track(exchange: string, symbol: string): BookSlot {
    let symbols = this.byExchange.get(exchange);
    if (!symbols) {
      symbols = new Map();
      this.byExchange.set(exchange, symbols);
    }
    let slot = symbols.get(symbol);
    if (!slot) {
      slot = { exchange, symbol, snapshot: undefined, state: undefined, stateReason: undefined };
      symbols.set(symbol, slot);
    }
    return slot;
  }

  find(exchange: string, symbol: string): BookSlot | undefined {
    return this.byExchange.get(exchange)?.get(symbol);
  }

  /** Stores `snapshot` as its market's latest, unless it arrived before the one held. */
  updateSnapshot(snapshot: OrderBookSnapshot): boolean {
    const slot = this.byExchange.get(snapshot.exchange)?.get(snapshot.symbol);
    if (!slot) return false;
    if (slot.snapshot && snapshot.receivedAt < slot.snapshot.receivedAt) return false;
    slot.snapshot = snapshot;
    return true;
  }

  updateState(exchange: string, symbol: string, state: InstrumentState, reason?: string): boolean {
    const slot = this.byExchange.get(exchange)?.get(symbol);
    if (!slot) return false;
    slot.state = state;
    slot.stateReason = reason;
    return true;
  }

  /** Applies a provider's health report to every tracked market it mentions. */
  updateHealth(health: ProviderHealth): void {
    for (const instrument of Object.values(health.instruments)) {
      this.updateState(instrument.exchange, instrument.symbol, instrument.state, instrument.reason);
    }
  }

  latest(exchange: string, symbol: string): OrderBookSnapshot | undefined {
    return this.byExchange.get(exchange)?.get(symbol)?.snapshot;
  }

  /** `latest` bound to this view, to hand to a PaperBroker. */
  readonly bookSource: BookSource = (exchange, symbol) => this.latest(exchange, symbol);
}
