import type { Clock, TimerHandle } from '@arbitrage/core';
import type { ArbitrageEngine } from '@arbitrage/engine';
import { inject, injectable } from 'tsyringe';
import type { RunnerConfig } from '../config/schema.js';
import type { TextSink } from '../logging/create-logger.js';
import type { MarketHandle } from '../market/market.js';
import type { RunnerProvider } from '../providers/create-provider.js';
import { TOKENS } from '../tokens/runner-tokens.js';

const pct = (value: number): string => (Number.isFinite(value) ? `${(value * 100).toFixed(2)}%` : '—');

/** Prints one compact line every `runner.statusIntervalMs` (0 = never) to the status sink (stderr). */
@injectable()
export class StatusReporter {
  private timer: TimerHandle | undefined;
  private startedAt = 0;

  constructor(
    @inject(TOKENS.SpreadEngine) private readonly engine: ArbitrageEngine,
    @inject(TOKENS.MarketDataProvider) private readonly provider: RunnerProvider,
    @inject(TOKENS.MarketHandle) private readonly market: MarketHandle,
    @inject(TOKENS.StatusSink) private readonly sink: TextSink,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Config) private readonly config: RunnerConfig,
  ) {}

  start(): void {
    this.startedAt = this.clock.now();
    this.schedule();
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The status line as it would be printed now. */
  line(): string {
    const summary = this.engine.summary();
    const premiums = Object.entries(summary.premiums)
      .map(
        ([asset, routes]) =>
          `${asset} ${Object.entries(routes)
            .map(
              ([route, premium]) =>
                `${route} ${pct(premium.midPremium)} (net ${pct(premium.sellKrwNet)}/${pct(premium.buyKrwNet)})`,
            )
            .join(', ')}`,
      )
      .join('; ');
    const byRoute = Object.entries(summary.trades.byRoute)
      .map(([route, counts]) => `${route} ${counts.opened}`)
      .join(', ');
    const instruments = Object.values(this.provider.health().instruments);
    const live = instruments.filter((instrument) => instrument.state === 'live').length;
    const onRest = instruments.filter((instrument) => instrument.source === 'rest').length;
    const elapsed = Math.round((this.clock.now() - this.startedAt) / 1000);
    const { trades, pnl } = summary;
    return (
      `[${this.market.label}] ${elapsed}s | ${premiums} | feeds ${live}/${instruments.length} live` +
      `${onRest > 0 ? `, ${onRest} on REST` : ''} | open ${trades.open}, opened ${trades.opened} (${byRoute}), closed ${trades.closed}` +
      ` | PnL ${Math.round(pnl.totalKrw).toLocaleString('en-US')} KRW (${pnl.totalUsd.toFixed(2)} USD)` +
      `${summary.halt.halted ? ' | HALTED' : ''}\n`
    );
  }

  private schedule(): void {
    const interval = this.config.runner.statusIntervalMs;
    if (interval <= 0) return;
    this.timer = this.clock.setTimeout(() => {
      this.sink.write(this.line());
      this.schedule();
    }, interval);
  }
}
