/** The documented exchange limits the simulator enforces, by exchange. */
export type LimitName =
  | 'binance.connectionsPer5Min'
  | 'binance.messagesPerSecond'
  | 'binance.streamsPerConnection'
  | 'binance.requestWeight'
  | 'upbit.connectsPerSecond'
  | 'upbit.messagesPerSecond'
  | 'upbit.restRequestsPerSecond';

/**
 * How often a client ran into each enforced limit (and was refused, closed or answered 429/418):
 * a test reads it to prove that a client stays within the exchanges' limits.
 */
export class LimitHits {
  private readonly counts = new Map<LimitName, number>();

  record(limit: LimitName): void {
    this.counts.set(limit, (this.counts.get(limit) ?? 0) + 1);
  }

  /** The limits hit so far, with counts; empty when every client stayed within them. */
  snapshot(): Partial<Record<LimitName, number>> {
    return Object.fromEntries(this.counts);
  }
}
