import type {
  InstrumentHealth,
  InstrumentState,
  OrderBookSnapshot,
  PriceLevel,
  SnapshotSource,
} from '@arbitrage/core';
import type { ObservedProvider } from './observed-provider.js';
import { type TrueBook, type TruthRecorder, truthKey } from './truth.js';

export type ViolationKind =
  /** A live book with best bid ≥ best ask. */
  | 'crossed'
  /** A live book whose sides are not strictly ordered or carry a non-positive size. */
  | 'unsorted'
  /** A live book that differs from the true book at its own sequence/timestamp (gapped or corrupt). */
  | 'mismatch'
  /** A live book at a sequence/timestamp the exchange never published. */
  | 'unknown-book'
  /** A live book older than the previous live book of the same episode. */
  | 'regressed'
  /** Reported live while the true book had moved on more than `staleLimitMs` ago (once per live episode). */
  | 'stale-live';

export interface Violation {
  readonly kind: ViolationKind;
  readonly instrument: string;
  readonly at: number;
  readonly detail: string;
}

export interface InstrumentCheck {
  state: InstrumentState | 'unknown';
  source: SnapshotSource;
  liveSnapshots: number;
  otherSnapshots: number;
  /** Live snapshots compared level by level with the truth and found equal. */
  verified: number;
  /** Live snapshots whose truth had already left the recorded history. */
  unverifiable: number;
  /** Truth versions skipped between two consecutive live snapshots of one live episode. */
  skippedVersions: number;
  /** Largest time a live book was served after the truth had moved on (ms). */
  maxOutdatedMs: number;
  transitions: { at: number; state: InstrumentState; source: SnapshotSource }[];
  lastLive: { snapshot: OrderBookSnapshot; truth: TrueBook | undefined } | undefined;
  staleFlagged: boolean;
}

export interface BookCheckerOptions {
  /** Levels per side compared with the truth. */
  readonly depth: number;
  /** A live book outdated by more than this is a violation (F plus a stated scheduling allowance). */
  readonly staleLimitMs: number;
  /** How often live books are checked for staleness (ms). */
  readonly pollMs?: number;
}

function ordered(levels: readonly PriceLevel[], descending: boolean): string | undefined {
  for (let i = 0; i < levels.length; i++) {
    const [price, size] = levels[i]!;
    if (!(price > 0) || !(size > 0)) return `level ${i} is [${price}, ${size}]`;
    if (i > 0) {
      const previous = levels[i - 1]![0];
      if (descending ? price >= previous : price <= previous) return `level ${i} (${price}) out of order`;
    }
  }
  return undefined;
}

function firstDifference(
  side: string,
  local: readonly PriceLevel[],
  truth: readonly PriceLevel[],
  depth: number,
): string | undefined {
  const n = Math.min(depth, truth.length);
  if (local.length < n) return `${side}: ${local.length} levels, truth has ${truth.length}`;
  for (let i = 0; i < n; i++) {
    const a = local[i]!;
    const b = truth[i]!;
    if (a[0] !== b[0] || a[1] !== b[1]) return `${side}[${i}] = [${a[0]}, ${a[1]}], truth [${b[0]}, ${b[1]}]`;
  }
  return undefined;
}

/**
 * Watches every snapshot and health change a provider emits and records each time a book reported
 * live is crossed, unordered, different from the simulator's true book at its own sequence (a gap
 * applied, a corrupt level), older than the previous live one, or outdated for longer than
 * `staleLimitMs`. It never throws into the provider.
 */
export class BookChecker {
  readonly violations: Violation[] = [];
  readonly instruments = new Map<string, InstrumentCheck>();
  private readonly unsubscribers: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stalenessPausedUntil = 0;

  constructor(
    private readonly provider: ObservedProvider,
    private readonly truths: readonly TruthRecorder[],
    private readonly options: BookCheckerOptions,
  ) {}

  start(): void {
    this.unsubscribers.push(
      this.provider.onSnapshot((snapshot) => this.guard(() => this.onSnapshot(snapshot))),
      this.provider.onHealthChange((health) => this.guard(() => this.onHealth(health))),
    );
    this.timer = setInterval(() => this.guard(() => this.checkStaleness()), this.options.pollMs ?? 20);
  }

  stop(): void {
    for (const off of this.unsubscribers.splice(0)) off();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Skips the staleness check for `ms` (the soak's own forced GC stops the event loop: a book
   * cannot be flagged by a client whose loop is frozen by the harness).
   */
  pauseStaleness(ms: number): void {
    this.stalenessPausedUntil = Date.now() + ms;
  }

  instrument(id: string): InstrumentCheck {
    let check = this.instruments.get(id);
    if (!check) {
      check = {
        state: 'unknown',
        source: 'ws',
        liveSnapshots: 0,
        otherSnapshots: 0,
        verified: 0,
        unverifiable: 0,
        skippedVersions: 0,
        maxOutdatedMs: 0,
        transitions: [],
        lastLive: undefined,
        staleFlagged: false,
      };
      this.instruments.set(id, check);
    }
    return check;
  }

  /** Counts of violations by kind. */
  summary(): Partial<Record<ViolationKind, number>> {
    const out: Partial<Record<ViolationKind, number>> = {};
    for (const violation of this.violations) out[violation.kind] = (out[violation.kind] ?? 0) + 1;
    return out;
  }

  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      // A checker bug must show as a failure, never as a provider crash.
      this.violations.push({
        kind: 'unknown-book',
        instrument: '*',
        at: Date.now(),
        detail: `checker error: ${error instanceof Error ? error.stack : String(error)}`,
      });
    }
  }

  private violate(kind: ViolationKind, instrument: string, detail: string): void {
    if (this.violations.length < 1_000) this.violations.push({ kind, instrument, at: Date.now(), detail });
  }

  private onHealth(health: InstrumentHealth): void {
    const check = this.instrument(health.instrument);
    if (check.state !== health.state || check.source !== health.source) {
      check.transitions.push({ at: Date.now(), state: health.state, source: health.source });
    }
    if (health.state !== 'live' || health.source !== check.source) {
      check.lastLive = undefined;
      check.staleFlagged = false;
    }
    check.state = health.state;
    check.source = health.source;
  }

  private truthFor(snapshot: OrderBookSnapshot): TrueBook | 'unknown' | 'evicted' | undefined {
    const truth = this.truths.find((t) => t.exchange === snapshot.exchange);
    if (!truth?.natives.includes(snapshot.nativeSymbol)) return undefined;
    const key = truthKey(snapshot);
    if (key === undefined) return 'unknown';
    const history = truth.history(snapshot.nativeSymbol);
    const entry = history.get(key);
    if (entry) return entry;
    const oldest = history.oldest();
    return oldest && key < oldest.key ? 'evicted' : 'unknown';
  }

  private onSnapshot(snapshot: OrderBookSnapshot): void {
    const id = `${snapshot.exchange}:${snapshot.symbol}`;
    const check = this.instrument(id);
    if (check.state !== 'live') {
      check.otherSnapshots++;
      return;
    }
    check.liveSnapshots++;
    const bestBid = snapshot.bids[0]?.[0];
    const bestAsk = snapshot.asks[0]?.[0];
    if (bestBid !== undefined && bestAsk !== undefined && bestBid >= bestAsk) {
      this.violate('crossed', id, `best bid ${bestBid} >= best ask ${bestAsk} (seq ${snapshot.sequence})`);
    }
    const badBids = ordered(snapshot.bids, true);
    const badAsks = ordered(snapshot.asks, false);
    if (badBids || badAsks)
      this.violate('unsorted', id, `bids: ${badBids ?? 'ok'}; asks: ${badAsks ?? 'ok'}`);

    const truth = this.truthFor(snapshot);
    const key = truthKey(snapshot);
    let entry: TrueBook | undefined;
    if (truth === 'evicted') check.unverifiable++;
    else if (truth === 'unknown') {
      this.violate('unknown-book', id, `no true book at ${key} (${snapshot.source})`);
    } else if (truth) {
      entry = truth;
      const difference =
        firstDifference('bids', snapshot.bids, truth.bids, this.options.depth) ??
        firstDifference('asks', snapshot.asks, truth.asks, this.options.depth);
      if (difference) this.violate('mismatch', id, `at ${key} (${snapshot.source}): ${difference}`);
      else check.verified++;
    }
    const previous = check.lastLive;
    if (previous?.truth && entry) {
      if (entry.index < previous.truth.index) {
        this.violate('regressed', id, `live book went back from ${previous.truth.key} to ${entry.key}`);
      } else if (entry.index > previous.truth.index + 1) {
        check.skippedVersions += entry.index - previous.truth.index - 1;
      }
    }
    check.lastLive = { snapshot, truth: entry };
  }

  /**
   * Pull semantics: what a consumer calling health() now would be told. A book that health() calls
   * live while the truth moved on more than `staleLimitMs` ago is a violation, even if a timer that
   * would have flagged it has not run yet (an event-loop stall, docs/faults.md 31).
   */
  private checkStaleness(): void {
    const now = Date.now();
    if (now < this.stalenessPausedUntil) return;
    const health = this.provider.health().instruments;
    for (const [id, check] of this.instruments) {
      if (!check.lastLive?.truth) continue;
      const reported = health[id as keyof typeof health];
      if (reported?.state !== 'live') continue;
      const truth = this.truths.find((t) => t.exchange === check.lastLive?.snapshot.exchange);
      const next = truth?.history(check.lastLive.snapshot.nativeSymbol).after(check.lastLive.truth);
      if (!next) continue;
      const outdated = now - next.at;
      if (outdated > check.maxOutdatedMs) check.maxOutdatedMs = outdated;
      if (outdated > this.options.staleLimitMs && !check.staleFlagged) {
        check.staleFlagged = true;
        this.violate(
          'stale-live',
          id,
          `health() says live ${outdated} ms after the true book moved on (limit ${this.options.staleLimitMs} ms)`,
        );
      }
    }
  }
}
