import { ReasonCounts } from '../reason-counts.js';
import type { CloseReason } from '../trade/hedged-trade.js';

/** What happened on one route (one KRW venue × one USDT venue), for the summary. */
export interface RouteTradeSummary {
  /** The route's KRW venue and USDT venue. */
  readonly krw: string;
  readonly usdt: string;
  readonly opened: number;
  readonly closed: number;
  readonly openFailed: number;
  /** Pairs on this route not closed yet. */
  readonly open: number;
  readonly closedBy: Record<string, number>;
  /** Realised PnL of this route's closed pairs. */
  readonly realisedKrw: number;
  readonly realisedUsd: number;
}

/** Counts and realised PnL of the pairs of one route. */
export class RouteTally {
  opened = 0;
  closed = 0;
  openFailed = 0;
  open = 0;
  realisedKrw = 0;
  realisedUsd = 0;
  readonly closeReasons = new ReasonCounts<CloseReason>();

  constructor(
    readonly krw: string,
    readonly usdt: string,
  ) {}

  summary(): RouteTradeSummary {
    return {
      krw: this.krw,
      usdt: this.usdt,
      opened: this.opened,
      closed: this.closed,
      openFailed: this.openFailed,
      open: this.open,
      closedBy: this.closeReasons.toRecord(),
      realisedKrw: this.realisedKrw,
      realisedUsd: this.realisedUsd,
    };
  }
}
