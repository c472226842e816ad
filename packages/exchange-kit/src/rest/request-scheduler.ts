import {
  type Clock,
  NetworkError,
  type RateBudget,
  systemClock,
  TimeoutError,
  type TimerHandle,
} from '@arbitrage/core';

export interface RequestSchedulerOptions {
  /** The REST client's weight budget (shared with every other request to the exchange). */
  readonly budget: RateBudget;
  /**
   * Requests running at once (default 20: twenty Binance symbols start as fast as with ccxt, which
   * sends every snapshot at once, while a mass resync of hundreds still comes in waves).
   */
  readonly maxConcurrent?: number;
  /** Least time between two starts, ms (default 0: the weight budget does the spacing). */
  readonly minIntervalMs?: number;
  /** Deadline of a running task, counted from its start (queue time excluded), ms (default 15000). */
  readonly taskTimeoutMs?: number;
  readonly clock?: Clock;
  /** What a task is, for the timeout error (default 'request'). */
  readonly label?: string;
}

interface Task {
  readonly weight: number;
  readonly signal: AbortSignal;
  readonly run: (signal: AbortSignal) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly onAbort: () => void;
}

/**
 * Staggers requests under a REST weight budget, so that a mass resync (a dropped connection
 * carrying 50 symbols, each wanting a snapshot) never fires 50 requests at once: tasks run in
 * arrival order, at most `maxConcurrent` at a time, `minIntervalMs` apart, and only when the budget
 * has room for their weight (while a Retry-After blocks the budget, nothing starts). A task's
 * deadline starts when it starts, so waiting in the queue never times it out.
 */
export class RequestScheduler {
  private readonly queue: Task[] = [];
  private readonly clock: Clock;
  private readonly maxConcurrent: number;
  private readonly minIntervalMs: number;
  private readonly taskTimeoutMs: number;
  private running = 0;
  private lastStartAt = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | undefined;
  private closed = false;
  /** Tasks started so far. */
  started = 0;
  /** Most tasks ever running at once. */
  peakConcurrent = 0;

  constructor(private readonly options: RequestSchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? 20);
    this.minIntervalMs = Math.max(0, options.minIntervalMs ?? 0);
    this.taskTimeoutMs = options.taskTimeoutMs ?? 15_000;
  }

  get queued(): number {
    return this.queue.length;
  }

  get active(): number {
    return this.running;
  }

  /** Runs `task` when its turn and the budget allow. Rejects with `signal.reason` if aborted first. */
  run<T>(weight: number, signal: AbortSignal, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const entry: Task = {
        weight,
        signal,
        run: task,
        resolve: resolve as (value: unknown) => void,
        reject,
        onAbort: () => {
          const index = this.queue.indexOf(entry);
          if (index >= 0) {
            this.queue.splice(index, 1);
            reject(signal.reason);
            if (this.queue.length === 0) this.cancelTimer();
          }
        },
      };
      signal.addEventListener('abort', entry.onAbort, { once: true });
      this.queue.push(entry);
      this.pump();
    });
  }

  /** Rejects everything queued and stops timers. Running tasks finish on their own signals. */
  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const task of this.queue.splice(0)) {
      task.signal.removeEventListener('abort', task.onAbort);
      task.reject(new NetworkError(`${this.options.label ?? 'request'} abandoned: the scheduler was closed`));
    }
  }

  private cancelTimer(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    if (this.closed || this.timer !== undefined) return;
    while (this.queue.length > 0 && this.running < this.maxConcurrent) {
      const now = this.clock.now();
      const head = this.queue[0]!;
      const wait = Math.max(
        this.options.budget.delayFor(head.weight),
        this.lastStartAt + this.minIntervalMs - now,
      );
      if (wait > 0) {
        this.timer = this.clock.setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.queue.shift();
      head.signal.removeEventListener('abort', head.onAbort);
      this.start(head, now);
    }
  }

  private start(task: Task, now: number): void {
    this.running++;
    this.started++;
    this.peakConcurrent = Math.max(this.peakConcurrent, this.running);
    this.lastStartAt = now;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(task.signal.reason);
    task.signal.addEventListener('abort', onAbort, { once: true });
    const timer = this.clock.setTimeout(
      () => controller.abort(new TimeoutError(this.options.label ?? 'request', this.taskTimeoutMs)),
      this.taskTimeoutMs,
    );
    let promise: Promise<unknown>;
    try {
      promise = task.run(controller.signal);
    } catch (error) {
      promise = Promise.reject(error);
    }
    // A task that ignores its signal still settles for the caller at its deadline.
    const deadline = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    Promise.race([promise, deadline])
      .then(task.resolve, task.reject)
      .finally(() => {
        this.clock.clearTimeout(timer);
        task.signal.removeEventListener('abort', onAbort);
        this.running--;
        this.pump();
      });
    promise.catch(() => {});
  }
}
