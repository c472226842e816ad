import type { ExchangeId, VenueDescription } from '@arbitrage/core';

/**
 * Which way a hedged pair trades the asset. The KRW leg is the venue quoting in KRW (Upbit by
 * default), the USDT leg the venue quoting in USDT (Binance by default).
 * - 'sell_krw_buy_usdt': the asset is dearer in KRW (the usual "kimchi premium"): sell it on the
 *   KRW venue, buy the same quantity on the USDT venue.
 * - 'buy_krw_sell_usdt': the asset is dearer in USDT (a "reverse premium"): buy it on the KRW
 *   venue, sell the same quantity on the USDT venue.
 */
export type Direction = 'sell_krw_buy_usdt' | 'buy_krw_sell_usdt';

export const DIRECTIONS: readonly Direction[] = ['sell_krw_buy_usdt', 'buy_krw_sell_usdt'];

/** The direction that unwinds a pair opened in `direction`. */
export function oppositeDirection(direction: Direction): Direction {
  return direction === 'sell_krw_buy_usdt' ? 'buy_krw_sell_usdt' : 'sell_krw_buy_usdt';
}

/** The two legs of every pair, named by the currency their venue quotes in. */
export type LegRole = 'krw' | 'usdt';

export const LEG_ROLES: readonly LegRole[] = ['krw', 'usdt'];

/** The quote currency each role's venue must have. */
export const ROLE_QUOTE_CURRENCY: Readonly<Record<LegRole, string>> = { krw: 'KRW', usdt: 'USDT' };

/** A venue as the engine needs it: the exchange id its books and orders carry, and its description. An ExchangePlugin is one. */
export interface EngineVenue {
  readonly id: ExchangeId;
  readonly venue: VenueDescription;
}

/**
 * The venues of each leg: one, or a list. Every KRW venue is paired with every USDT venue; each such
 * pair is a route (see `routeName`).
 */
export type EngineVenues = Readonly<Record<LegRole, EngineVenue | readonly EngineVenue[]>>;

/** The venues of one role as a list, in the order configured. */
export function venuesOf(venues: EngineVenues, role: LegRole): readonly EngineVenue[] {
  const value = venues[role];
  return Array.isArray(value) ? value : [value as EngineVenue];
}

/** A route's name: its KRW venue and its USDT venue, e.g. 'upbit-binance'. */
export function routeName(krw: ExchangeId, usdt: ExchangeId): string {
  return `${krw}-${usdt}`;
}

/** A value per leg role, e.g. starting balances or latencies. */
export type PerRole<T> = Readonly<Partial<Record<LegRole, T>>>;

/** A market on an exchange, as the engine addresses books: exchange id plus canonical symbol. */
export interface MarketRef {
  readonly exchange: string;
  /** Canonical BASE/QUOTE, e.g. 'BTC/KRW'. */
  readonly symbol: string;
}
