/** Everything the backtest report page shows; the backtest fills it, `renderReport` turns it into HTML. */
export interface ReportData {
  readonly title: string;
  readonly source: {
    readonly data: string;
    readonly from: string;
    readonly to: string;
    readonly config: string;
  };
  readonly assets: readonly string[];
  /** Per asset, sampled (e.g. once a second of market time): times ms since epoch, mid premium and its reference (fractions; NaN while unknown). */
  readonly premiums: Readonly<
    Record<
      string,
      {
        readonly t: readonly number[];
        readonly mid: readonly number[];
        readonly reference: readonly number[];
      }
    >
  >;
  readonly trades: readonly ReportTrade[];
  /** Equity in KRW (realised + unrealised) over time. */
  readonly equity: { readonly t: readonly number[]; readonly krw: readonly number[] };
  /** Where the money went over the whole run, KRW: premium + rate − fees − spread = pnl. */
  readonly costs: {
    readonly premiumKrw: number;
    readonly rateKrw: number;
    readonly feesKrw: number;
    readonly spreadKrw: number;
    readonly pnlKrw: number;
  };
  /** A few headline numbers shown as a table. */
  readonly summary: Readonly<Record<string, string | number>>;
}

export interface ReportTrade {
  readonly id: string;
  readonly asset: string;
  readonly direction: 'sell_krw_buy_usdt' | 'buy_krw_sell_usdt';
  readonly openedAt: number;
  readonly closedAt: number | undefined;
  /** Mid premiums, fractions. */
  readonly entryPremium: number;
  readonly exitPremium: number | undefined;
  readonly pnlKrw: number | undefined;
  readonly closeReason: string | undefined;
}
