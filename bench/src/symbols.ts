import type { ExchangeKind } from './protocol.js';

/** A bench asset's native symbol: 'BTCUSDT' (Binance), 'KRW-BTC' (Upbit), 'BTC-USDT' (OKX). */
export function nativeSymbol(exchange: ExchangeKind, base: string): string {
  if (exchange === 'binance') return `${base}USDT`;
  if (exchange === 'upbit') return `KRW-${base}`;
  return `${base}-USDT`;
}

/** The unified symbol ccxt and our plugins take: 'BTC/USDT' or 'BTC/KRW'. */
export function unifiedSymbol(exchange: ExchangeKind, native: string): string {
  if (exchange === 'binance') return `${native.slice(0, -4)}/USDT`;
  if (exchange === 'upbit') return `${native.slice(4)}/KRW`;
  return native.replace('-', '/');
}

/** How the simulator lists a book subscription (`Simulator.connections()`). */
export function bookSubscription(exchange: ExchangeKind, native: string): string {
  if (exchange === 'binance') return `${native.toLowerCase()}@depth@100ms`;
  if (exchange === 'upbit') return native;
  return `books:${native}`;
}
