import { ConfigError } from './errors.js';

/** An opaque handle for a scheduled timer. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

/**
 * Time as every package sees it: injectable so that backoff, heartbeats and staleness are tested
 * without sleeping.
 */
export interface Clock {
  /** Wall-clock ms since epoch. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

/**
 * The process clock. Timers are ordinary (ref'd) Node timers: a timer left pending keeps the process
 * alive, which is how tests catch a component that forgot to clear one.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => {
    if (handle !== undefined) clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

interface ManualTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/** Lets pending promise continuations (and anything they schedule) run before the next timer fires. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told. Timers fire in due order (ties in creation order) during
 * `advance`, including timers scheduled by the callbacks themselves; each runs with `now()` equal to
 * its due time. A delay that is negative or not finite counts as 0 (Node would use 1 ms).
 *
 * `advance` is synchronous: code that awaits between timers (a promise-based sleep, a retry loop)
 * schedules its next timer only after the current job ends, so drive it with `advanceAsync`.
 */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers: ManualTimer[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const delay = delayMs > 0 && delayMs < Number.POSITIVE_INFINITY ? delayMs : 0;
    const timer: ManualTimer = { id: this.nextId++, due: this.current + delay, callback };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    const index = this.timers.indexOf(handle as ManualTimer);
    if (index >= 0) this.timers.splice(index, 1);
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way. A callback that throws
   * stops the advance there (the error propagates; time stays at that timer's due time).
   */
  advance(ms: number): void {
    const target = this.targetAfter(ms);
    for (let next = this.takeDue(target); next; next = this.takeDue(target)) {
      this.current = next.due;
      next.callback();
    }
    this.current = target;
  }

  /** Moves time forward to `timeMs` (ms since epoch), firing due timers. Throws if `timeMs` is in the past. */
  advanceTo(timeMs: number): void {
    this.advance(timeMs - this.current);
  }

  /**
   * Like `advance`, but lets promise continuations settle before the advance starts and after every
   * timer, so async code that awaits a sleep and then schedules the next one is driven all the way.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.targetAfter(ms);
    await settle();
    for (let next = this.takeDue(target); next; next = this.takeDue(target)) {
      this.current = next.due;
      next.callback();
      await settle();
    }
    this.current = target;
  }

  /** Number of timers still scheduled. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Delay until the next timer falls due, or undefined when none is scheduled. */
  nextTimerDelay(): number | undefined {
    const next = this.nextDue();
    return next ? next.due - this.current : undefined;
  }

  private targetAfter(ms: number): number {
    if (!(ms >= 0 && ms < Number.POSITIVE_INFINITY)) {
      throw new ConfigError(
        `ManualClock cannot advance by ${ms} ms: time only moves forward, by a finite amount`,
      );
    }
    return this.current + ms;
  }

  /** Removes and returns the next timer due at or before `target`. */
  private takeDue(target: number): ManualTimer | undefined {
    const next = this.nextDue();
    if (!next || next.due > target) return undefined;
    this.timers.splice(this.timers.indexOf(next), 1);
    return next;
  }

  private nextDue(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const timer of this.timers) {
      if (!best || timer.due < best.due || (timer.due === best.due && timer.id < best.id)) best = timer;
    }
    return best;
  }
}
