import { MarketDataError } from '@arbitrage/core';

/** A SUBSCRIBE got an error reply or no reply in time; the symbols it carried are failed and retried. */
export class SubscriptionError extends MarketDataError {
  constructor(
    readonly exchange: string,
    readonly streams: readonly string[],
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      'SUBSCRIBE_FAILED',
      `${exchange} did not confirm SUBSCRIBE of ${streams.length} stream(s) (${streams.slice(0, 5).join(', ')}${streams.length > 5 ? ', …' : ''}): ${reason}; retrying with backoff`,
      options,
    );
  }
}
