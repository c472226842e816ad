import { MarketDataError } from '@arbitrage/core';

/**
 * OKX refused a subscription (`{"event":"error",…}`, docs/protocols/okx.md E3) or did not confirm it
 * in time. `code` is OKX's ('60018': the instrument does not exist), '' for a missing reply. The
 * instruments it names are failed and asked for again with backoff.
 */
export class OkxSubscriptionError extends MarketDataError {
  constructor(
    readonly instruments: readonly string[],
    readonly exchangeCode: string,
    readonly reason: string,
  ) {
    super(
      'SUBSCRIBE_FAILED',
      `OKX did not subscribe ${instruments.join(', ')}: ${reason}; retrying with backoff`,
    );
  }
}
