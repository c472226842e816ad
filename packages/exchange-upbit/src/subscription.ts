import { randomUUID } from 'node:crypto';
import { ConfigError } from '@arbitrage/core';

export type UpbitFormat = 'DEFAULT' | 'SIMPLE';

/** Orderbook unit counts Upbit serves since 2025-07-02; any other suffix silently yields 30. */
export const UPBIT_UNIT_COUNTS = [1, 5, 15, 30] as const;
export type UpbitUnitCount = (typeof UPBIT_UNIT_COUNTS)[number];

/** The smallest unit count Upbit serves that covers `depth` levels (1..30). */
export function unitCountFor(depth: number): UpbitUnitCount {
  if (!(Number.isInteger(depth) && depth >= 1 && depth <= 30)) {
    throw new ConfigError(`Upbit order books have 1 to 30 units per side; depth ${depth} is not possible`);
  }
  return UPBIT_UNIT_COUNTS.find((count) => count >= depth) ?? 30;
}

export interface SubscriptionOptions {
  readonly codes: readonly string[];
  readonly unitCount: UpbitUnitCount;
  readonly format: UpbitFormat;
  /** Defaults to a random UUID. */
  readonly ticket?: string;
}

/**
 * One subscription request: `[{ticket}, {type:'orderbook', codes:['KRW-BTC.30', …]}, {format}]`.
 * It always carries the complete code list, because a new request replaces the connection's set.
 * Flags are snake case, as Upbit's current docs spell them; both default to false, so the first frame
 * per code is a SNAPSHOT and REALTIME frames follow.
 */
export function subscriptionRequest(options: SubscriptionOptions): unknown[] {
  return [
    { ticket: options.ticket ?? randomUUID() },
    {
      type: 'orderbook',
      codes: options.codes.map((code) => `${code}.${options.unitCount}`),
      is_only_snapshot: false,
      is_only_realtime: false,
    },
    { format: options.format },
  ];
}
