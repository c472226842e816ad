const WINDOW_MS = 1_000;

/**
 * Counts outgoing frames over a rolling second and says how long the next one must wait to stay
 * within `perSecond`. Control frames (pings, pongs) are recorded without waiting, because delaying
 * them would break the heartbeat, but they use up the budget like the exchange counts them.
 */
export class OutboundPacer {
  private readonly sentAt: number[] = [];
  private head = 0;

  constructor(private limit: number) {}

  get perSecond(): number {
    return this.limit;
  }

  setLimit(perSecond: number): void {
    this.limit = perSecond;
  }

  /** Frames recorded within the last second. */
  countInWindow(now: number): number {
    this.expire(now);
    return this.sentAt.length - this.head;
  }

  /** ms until one more frame fits the rolling second; 0 when it fits now. */
  delay(now: number): number {
    if (this.limit === Number.POSITIVE_INFINITY) return 0;
    this.expire(now);
    const inWindow = this.sentAt.length - this.head;
    if (inWindow < this.limit) return 0;
    // The frame that must leave the window before the next fits.
    const blocking = this.sentAt[this.head + inWindow - this.limit]!;
    return Math.max(1, blocking + WINDOW_MS - now);
  }

  record(now: number): void {
    this.expire(now);
    this.sentAt.push(now);
  }

  reset(): void {
    this.sentAt.length = 0;
    this.head = 0;
  }

  private expire(now: number): void {
    const horizon = now - WINDOW_MS;
    while (this.head < this.sentAt.length && this.sentAt[this.head]! <= horizon) this.head++;
    if (this.head > 64 && this.head * 2 > this.sentAt.length) {
      this.sentAt.splice(0, this.head);
      this.head = 0;
    }
  }
}
