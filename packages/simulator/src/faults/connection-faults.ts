/**
 * Faults armed on one WebSocket connection. The connection consults them for every market-data
 * frame, so `active` stays false (one boolean test on the hot path) until something is armed.
 */
export class ConnectionFaults {
  /** Market data stopped for every symbol (the socket stays open, pings still answered). */
  stalledAll = false;
  /** Market data stopped for these symbols only. */
  readonly stalledSymbols = new Set<string>();
  /** Pings from the client go unanswered (and Upbit's text PING gets no {"status":"UP"}). */
  ignorePings = false;
  /** Per symbol: how many diff/orderbook frames to drop (a sequence gap on Binance). */
  readonly skip = new Map<string, number>();
  /** Per symbol: how many frames to send twice. */
  readonly duplicate = new Map<string, number>();
  /** Symbols whose next frame is held back and sent after the one that follows it. */
  readonly reorder = new Set<string>();
  /** Symbols whose next frame carries a crossed book. */
  readonly cross = new Set<string>();
  /** OKX: instruments whose next `books` update is replaced by a snapshot push. */
  readonly resnapshot = new Set<string>();

  get active(): boolean {
    return (
      this.stalledAll ||
      this.stalledSymbols.size > 0 ||
      this.skip.size > 0 ||
      this.duplicate.size > 0 ||
      this.reorder.size > 0 ||
      this.cross.size > 0 ||
      this.resnapshot.size > 0
    );
  }

  isStalled(symbol: string): boolean {
    return this.stalledAll || this.stalledSymbols.has(symbol);
  }

  /** Decrements a per-symbol counter; returns true if it was positive. */
  static take(counters: Map<string, number>, symbol: string): boolean {
    const left = counters.get(symbol);
    if (left === undefined) return false;
    if (left <= 1) counters.delete(symbol);
    else counters.set(symbol, left - 1);
    return true;
  }
}
