/**
 * "At most `limit` events in any `windowMs`": a ring of the last `limit` event times. `hit` records
 * an event and says whether it stayed within the limit.
 */
export class SlidingWindow {
  private readonly times: number[];
  private cursor = 0;
  private count = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    this.times = new Array(limit).fill(0);
  }

  hit(now: number): boolean {
    const oldest = this.times[this.cursor]!;
    const exceeded = this.count >= this.limit && now - oldest < this.windowMs;
    this.times[this.cursor] = now;
    this.cursor = (this.cursor + 1) % this.limit;
    if (this.count < this.limit) this.count++;
    return !exceeded;
  }

  /** Events still allowed in the window ending at `now`. */
  remaining(now: number): number {
    let used = 0;
    for (let i = 0; i < this.count; i++) if (now - this.times[i]! < this.windowMs) used++;
    return Math.max(0, this.limit - used);
  }
}
