import { setImmediate as nextTurn } from 'node:timers/promises';
import { type ExchangeTransport, ManualClock } from '@arbitrage/core';
import type { EntryCursor, RecordedEntry, Recording } from '../recording/index.js';
import { ExchangeReplay, type ExchangeReplayStats } from './exchange-replay.js';

export interface ReplayRange {
  /** ms since epoch, inclusive. */
  readonly from?: number;
  /** ms since epoch, exclusive. */
  readonly to?: number;
}

export interface ReplayStats {
  readonly entries: number;
  /** Virtual time replayed, ms. */
  readonly spanMs: number;
  readonly exchanges: Readonly<Record<string, ExchangeReplayStats>>;
}

export interface ReplayProgress {
  /** Entries (frames and REST answers) replayed so far. */
  readonly entries: number;
  /** Recorded time replayed so far, ms. */
  readonly doneMs: number;
  /** Recorded time the replay covers, ms (undefined: unknown, e.g. a recording that never ended). */
  readonly spanMs: number | undefined;
}

export interface ReplayProgressOptions {
  /** Wall time between two reports, ms. */
  readonly everyMs: number;
  readonly report: (progress: ReplayProgress) => void;
}

/** Entries between two looks at the wall clock: cheap enough for a loop of millions. */
const PROGRESS_CHECK_EVERY = 1_024;

/**
 * Plays a recording into the exchange plugins on a virtual clock. Time jumps from entry to entry
 * (firing every timer due on the way: staleness, fills, ticks, backoffs), each entry goes to its
 * exchange's replay (sockets and REST), and promise continuations are let run whenever something
 * asynchronous may be waiting. Plain frames are handled synchronously, as the socket would.
 */
export class ReplayDriver {
  readonly clock: ManualClock;
  private readonly cursor: EntryCursor;
  private readonly replays = new Map<string, ExchangeReplay>();
  private readonly deferred: (() => void)[] = [];
  private first: RecordedEntry | undefined;
  private entries = 0;
  /** Entries replayed after start-up (plugins connected and subscribed), and the wall time they took, ms. */
  steadyEntries = 0;
  steadyWallMs = 0;
  /** Once the replay is over, socket events (the plugins closing) run on the event loop. */
  private over = false;
  private readonly startedAt: number;
  /** Recorded time the replay covers, ms (undefined while the recording has no end). */
  private readonly spanMs: number | undefined;

  constructor(
    recording: Recording,
    range: ReplayRange = {},
    private readonly progress?: ReplayProgressOptions,
  ) {
    this.cursor = recording.cursor(range);
    this.first = this.cursor.next();
    this.startedAt = this.first?.t ?? range.from ?? Date.parse(recording.manifest.startedAt);
    this.clock = new ManualClock(Math.floor(this.startedAt));
    const { endedAt } = recording.manifest;
    const end = Math.min(
      range.to ?? Number.POSITIVE_INFINITY,
      endedAt === null ? Number.NaN : Date.parse(endedAt),
    );
    this.spanMs = Number.isFinite(end) ? end - this.startedAt : undefined;
    for (const exchange of Object.keys(recording.manifest.exchanges)) {
      this.replays.set(exchange, new ExchangeReplay(exchange, (task) => this.defer(task)));
    }
  }

  /** The transport to give the exchange's plugin (undefined: the recording has no such exchange). */
  transportFor(exchange: string): ExchangeTransport | undefined {
    return this.replays.get(exchange)?.transport;
  }

  /**
   * Replays every entry. `until` settles the start-up: until it resolves, continuations are let run
   * after every entry, so the plugins connect and subscribe in the order they did when recorded.
   */
  async run(startup: Promise<unknown>): Promise<ReplayStats> {
    let starting = true;
    const done = (): void => {
      starting = false;
    };
    startup.then(done, done);
    let steadyEntries = 0;
    let steadyFrom = 0;
    let reportedAt = performance.now();
    await this.settle();
    for (let entry = this.first; entry; entry = this.cursor.next()) {
      this.first = undefined;
      if (entry.t > this.clock.now()) this.clock.advanceTo(entry.t);
      this.replays.get(entry.exchange)?.apply(entry);
      this.entries++;
      if (this.progress && this.entries % PROGRESS_CHECK_EVERY === 0) {
        const now = performance.now();
        if (now - reportedAt >= this.progress.everyMs) {
          reportedAt = now;
          this.progress.report({
            entries: this.entries,
            doneMs: this.clock.now() - this.startedAt,
            spanMs: this.spanMs,
          });
        }
      }
      if (!starting) {
        if (steadyEntries === 0) steadyFrom = performance.now();
        steadyEntries++;
      }
      if (
        starting ||
        this.deferred.length > 0 ||
        (entry.kind !== 'w' && entry.kind !== 'u' && entry.kind !== 'b')
      ) {
        await this.settle();
      }
    }
    this.steadyWallMs = steadyEntries === 0 ? 0 : performance.now() - steadyFrom;
    for (const replay of this.replays.values()) replay.end();
    await this.settle();
    this.over = true;
    const exchanges: Record<string, ExchangeReplayStats> = {};
    for (const [exchange, replay] of this.replays) exchanges[exchange] = { ...replay.stats };
    this.steadyEntries = steadyEntries;
    return { entries: this.entries, spanMs: this.clock.now() - this.startedAt, exchanges };
  }

  private defer(task: () => void): void {
    if (this.over) setImmediate(task);
    else this.deferred.push(task);
  }

  /** Runs deferred socket events and lets promise continuations settle, until nothing is left. */
  async settle(): Promise<void> {
    do {
      for (const task of this.deferred.splice(0)) task();
      await nextTurn();
    } while (this.deferred.length > 0);
  }
}
