import { constants, PerformanceObserver } from 'node:perf_hooks';

export interface GcSummary {
  readonly count: number;
  /** Mark-sweep-compact collections among them. */
  readonly major: number;
  readonly totalMs: number;
  readonly maxMs: number;
}

/**
 * Counts this process's garbage-collection pauses from `reset()` on: the paced runs' p99 is set by a
 * few stalls per run, and this tells whether the collector was one of them.
 */
export class GcWatch {
  private count = 0;
  private major = 0;
  private totalMs = 0;
  private maxMs = 0;
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.count++;
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.major++;
      this.totalMs += entry.duration;
      if (entry.duration > this.maxMs) this.maxMs = entry.duration;
    }
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  reset(): void {
    this.count = 0;
    this.major = 0;
    this.totalMs = 0;
    this.maxMs = 0;
  }

  summary(): GcSummary {
    return { count: this.count, major: this.major, totalMs: this.totalMs, maxMs: this.maxMs };
  }
}
