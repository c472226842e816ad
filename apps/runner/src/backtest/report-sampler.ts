import type { Clock, TimerHandle } from '@arbitrage/core';
import type { ArbitrageEngine } from '@arbitrage/engine';

/** Premium, reference and equity series for the report, sampled on the replay's virtual clock. */
export interface BacktestSeries {
  /** Per chart: an asset, or an asset on one route when there are several (see `premiumChartKey`). */
  readonly premiums: Record<string, { t: number[]; mid: number[]; reference: number[] }>;
  readonly equity: { t: number[]; krw: number[] };
}

/** Samples the engine every `intervalMs` of replayed time (deterministic: a virtual-clock timer). */
export class ReportSampler {
  readonly series: BacktestSeries = { premiums: {}, equity: { t: [], krw: [] } };
  private timer: TimerHandle | undefined;
  private engine: ArbitrageEngine | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  start(engine: ArbitrageEngine): void {
    this.engine = engine;
    this.schedule();
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      this.sample();
      this.schedule();
    }, this.intervalMs);
  }

  private sample(): void {
    const summary = this.engine!.summary();
    const t = this.clock.now();
    for (const [asset, routes] of Object.entries(summary.premiums)) {
      const routeCount = Object.keys(routes).length;
      for (const [route, premium] of Object.entries(routes)) {
        const key = premiumChartKey(asset, route, routeCount);
        const series = this.series.premiums[key] ?? { t: [], mid: [], reference: [] };
        this.series.premiums[key] = series;
        series.t.push(t);
        series.mid.push(premium.current ? premium.midPremium : Number.NaN);
        series.reference.push(premium.reference);
      }
    }
    this.series.equity.t.push(t);
    this.series.equity.krw.push(summary.pnl.totalKrw);
  }
}

/** A premium chart per asset, or per asset and route when there are several routes ('BTC upbit-okx'). */
export function premiumChartKey(asset: string, route: string, routeCount: number): string {
  return routeCount > 1 ? `${asset} ${route}` : asset;
}
