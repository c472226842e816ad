import type { Clock, TimerHandle } from '@arbitrage/core';

/**
 * Timers on an injectable Clock that can all be cancelled at once, so that closing a connection or
 * stopping the simulator leaves nothing scheduled.
 */
export class TimerGroup {
  private readonly handles = new Set<TimerHandle>();

  constructor(readonly clock: Clock) {}

  after(delayMs: number, callback: () => void): TimerHandle {
    const handle = this.clock.setTimeout(() => {
      this.handles.delete(handle);
      callback();
    }, delayMs);
    this.handles.add(handle);
    return handle;
  }

  /** Calls `callback` every `intervalMs` until the returned function (or clear()) is called. */
  every(intervalMs: number, callback: () => void): () => void {
    let handle: TimerHandle | undefined;
    let stopped = false;
    const arm = (): void => {
      handle = this.after(intervalMs, () => {
        if (stopped) return;
        arm();
        callback();
      });
    };
    arm();
    return () => {
      stopped = true;
      this.cancel(handle);
    };
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    this.handles.delete(handle);
    this.clock.clearTimeout(handle);
  }

  clear(): void {
    for (const handle of this.handles) this.clock.clearTimeout(handle);
    this.handles.clear();
  }

  get size(): number {
    return this.handles.size;
  }
}
