const WINDOW_MS = 1000;

/**
 * Timestamps of the last `capacity` orders in a ring, to answer "how many orders in the last
 * second" without allocating. Only the newest `capacity` matter, since the cap is `capacity`.
 */
export class OrderRateWindow {
  private readonly times: Float64Array;
  private next = 0;

  constructor(private readonly capacity: number) {
    this.times = new Float64Array(capacity).fill(Number.NEGATIVE_INFINITY);
  }

  /** Orders recorded in (now − 1 s, now]. */
  countAt(now: number): number {
    let count = 0;
    for (let i = 0; i < this.capacity; i++) if (this.times[i]! > now - WINDOW_MS) count++;
    return count;
  }

  wouldExceed(orders: number, now: number): boolean {
    return this.countAt(now) + orders > this.capacity;
  }

  record(orders: number, now: number): void {
    for (let i = 0; i < orders; i++) {
      this.times[this.next] = now;
      this.next = (this.next + 1) % this.capacity;
    }
  }
}
