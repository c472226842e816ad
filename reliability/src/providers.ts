import type { ExchangePlugin } from '@arbitrage/core';
import { RestMarketDataProvider } from '@arbitrage/provider-rest';
import { FailoverMarketDataProvider, WebSocketMarketDataProvider } from '@arbitrage/provider-ws';
import type { ObservedProvider } from './observed-provider.js';
import { StreamProvider } from './stream-provider.js';
import { CHECK_DEPTH, POLL_MS, TEST_SCALE } from './timings.js';

/** The providers under test; `stream` is the exchange streams with no provider logic (the baseline). */
export type ProviderKind = 'stream' | 'ws' | 'failover' | 'rest';
export const PROVIDER_KINDS: readonly ProviderKind[] = ['stream', 'ws', 'failover', 'rest'];

/** Fail-over timings at test scale: REST takes over after F, WS back after it was live 2F. */
export const FAILOVER = { failoverAfterMs: TEST_SCALE.F, switchBackAfterMs: 2 * TEST_SCALE.F } as const;

/** A live book outdated by more than this is a violation, per provider kind (F or the poll period, plus allowance). */
export function staleLimitMs(kind: ProviderKind): number {
  const freshness = kind === 'rest' ? POLL_MS + TEST_SCALE.F : TEST_SCALE.F;
  return freshness + 300;
}

export function createProvider(
  kind: ProviderKind,
  exchanges: ExchangePlugin[],
  symbols: string[],
): ObservedProvider {
  const depth = CHECK_DEPTH;
  switch (kind) {
    case 'stream':
      return new StreamProvider({ exchanges, symbols, depth, stream: { staleAfterMs: TEST_SCALE.F } });
    case 'ws':
      return new WebSocketMarketDataProvider({ exchanges, symbols, depth, staleAfterMs: TEST_SCALE.F });
    case 'failover':
      return new FailoverMarketDataProvider({
        exchanges,
        symbols,
        depth,
        staleAfterMs: TEST_SCALE.F,
        pollIntervalMs: POLL_MS,
        ...FAILOVER,
      });
    case 'rest':
      return new RestMarketDataProvider({
        exchanges,
        symbols,
        depth,
        pollIntervalMs: POLL_MS,
        staleAfterMs: POLL_MS + TEST_SCALE.F,
      });
  }
}
