import type { AppliedUpdates } from '../protocol.js';

class SymbolLog {
  readonly ids: Float64Array;
  readonly times: Float64Array;
  count = 0;
  last = Number.NEGATIVE_INFINITY;
  target = Number.POSITIVE_INFINITY;

  constructor(capacity: number) {
    this.ids = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
  }
}

/**
 * Records, per symbol, each moment the client's book reflects a newer update id, and tells when
 * every symbol has reached its final id. Called on the client's hot path: one map lookup, two
 * typed-array writes and a compare.
 */
export class Recorder {
  private readonly logs = new Map<string, SymbolLog>();
  private remaining = 0;
  private completedAt = 0;
  private onComplete: (() => void) | undefined;
  private readyCallback: (() => void) | undefined;
  private unseen: number;

  constructor(
    symbols: readonly string[],
    private readonly capacity: number,
  ) {
    for (const symbol of symbols) this.logs.set(symbol, new SymbolLog(capacity));
    this.unseen = symbols.length;
  }

  /** The book of `symbol` now reflects update `id`. */
  record(symbol: string, id: number): void {
    const log = this.logs.get(symbol);
    if (log === undefined || !(id > log.last)) return;
    const now = Number(process.hrtime.bigint());
    if (log.last === Number.NEGATIVE_INFINITY && --this.unseen === 0) this.readyCallback?.();
    log.last = id;
    if (log.count < this.capacity) {
      log.ids[log.count] = id;
      log.times[log.count] = now;
    }
    log.count++;
    if (id >= log.target) {
      log.target = Number.POSITIVE_INFINITY;
      if (--this.remaining === 0) {
        this.completedAt = now;
        this.onComplete?.();
      }
    }
  }

  /** Calls `callback` once every symbol has recorded something. */
  whenAllSeen(callback: () => void): void {
    if (this.unseen === 0) callback();
    else this.readyCallback = callback;
  }

  /** Forgets what was recorded (the ids reached so far stay, so older ids are still ignored). */
  reset(): void {
    for (const log of this.logs.values()) log.count = 0;
  }

  /** Calls `callback` once every symbol has reached its final id. */
  expect(finalIds: Readonly<Record<string, number>>, callback: () => void): void {
    this.onComplete = callback;
    this.remaining = 0;
    for (const [symbol, log] of this.logs) {
      const target = finalIds[symbol];
      if (target === undefined || log.last >= target) continue;
      log.target = target;
      this.remaining++;
    }
    if (this.remaining === 0) {
      this.completedAt = Number(process.hrtime.bigint());
      callback();
    }
  }

  get completionTime(): number {
    return this.completedAt;
  }

  get complete(): boolean {
    return this.completedAt !== 0;
  }

  applied(): Record<string, AppliedUpdates> {
    const out: Record<string, AppliedUpdates> = {};
    for (const [symbol, log] of this.logs) {
      const kept = Math.min(log.count, this.capacity);
      out[symbol] = { ids: log.ids.slice(0, kept), times: log.times.slice(0, kept), count: log.count };
    }
    return out;
  }
}
