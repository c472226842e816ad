import type { Clock, InstrumentHealth, Logger, OrderBookSnapshot, TimerHandle } from '@arbitrage/core';
import {
  type ArbitrageEngine,
  LatencyHistogram,
  type LatencySummary,
  type MarketView,
} from '@arbitrage/engine';
import { inject, injectable } from 'tsyringe';
import type { RunnerConfig } from '../config/schema.js';
import type { RunnerMetrics } from '../metrics/runner-metrics.js';
import type { RunnerProvider } from '../providers/create-provider.js';
import { TOKENS } from '../tokens/runner-tokens.js';

/**
 * The event-driven loop: every book update the provider delivers is handed to the engine at once,
 * which evaluates the assets it touches; health changes reach the engine as they happen; a slow
 * tick re-reads health and evaluates everything, so holding times and quiet legs are noticed
 * without updates. Loop time is measured per update that triggered evaluations, from the moment the
 * provider delivers it to the moment the engine has decided (process.hrtime.bigint).
 */
@injectable()
export class EngineLoop {
  private readonly loopTimes = new LatencyHistogram();
  private unsubscribers: (() => void)[] = [];
  private tickTimer: TimerHandle | undefined;
  private running = false;
  private updates = 0;
  private failures = 0;

  constructor(
    @inject(TOKENS.SpreadEngine) private readonly engine: ArbitrageEngine,
    @inject(TOKENS.MarketDataProvider) private readonly provider: RunnerProvider,
    @inject(TOKENS.MarketView) private readonly market: MarketView,
    @inject(TOKENS.Metrics) private readonly metrics: RunnerMetrics,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(TOKENS.Config) private readonly config: RunnerConfig,
  ) {}

  /** Subscribes to the provider (before it starts, so no update is missed) and starts the slow tick. */
  attach(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribers.push(this.provider.onSnapshot(this.onSnapshot));
    if (this.provider.onHealthChange) {
      this.unsubscribers.push(this.provider.onHealthChange(this.onHealthChange));
    }
    this.scheduleTick();
  }

  /** Unsubscribes and clears the tick; the engine and provider are stopped by their owner. */
  detach(): void {
    this.running = false;
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.clock.clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
  }

  /** Loop time (arrival → decision), microseconds. */
  loopTime(): LatencySummary {
    return this.loopTimes.summary();
  }

  /** Book updates delivered by the provider (whether or not they touched a configured pair). */
  get updatesReceived(): number {
    return this.updates;
  }

  private readonly onSnapshot = (snapshot: OrderBookSnapshot): void => {
    const arrived = process.hrtime.bigint();
    let evaluations: number;
    try {
      evaluations = this.engine.onSnapshot(snapshot, this.clock.now());
    } catch (error) {
      this.reportFailure(error, snapshot);
      return;
    }
    const elapsed = Number(process.hrtime.bigint() - arrived);
    this.updates++;
    if (evaluations > 0) {
      this.loopTimes.record(elapsed);
      this.metrics.observeLoop(elapsed);
    }
    this.metrics.countMessage(snapshot.exchange, snapshot.symbol);
  };

  private readonly onHealthChange = (health: InstrumentHealth): void => {
    this.market.updateState(health.exchange, health.symbol, health.state, health.reason);
    this.metrics.onHealthChange(health);
    const fields = {
      instrument: health.instrument,
      state: health.state,
      reason: health.reason,
      source: health.source,
    };
    if (health.state === 'live') this.logger.info(fields, 'feed live');
    else if (health.state === 'connecting') this.logger.debug(fields, 'feed connecting');
    else this.logger.warn(fields, 'feed not live');
  };

  /** An engine bug must not take the feed down: log the first failure and every 1 000th after it. */
  private reportFailure(error: unknown, snapshot: OrderBookSnapshot): void {
    this.failures++;
    if (this.failures === 1 || this.failures % 1_000 === 0) {
      this.logger.error(
        { err: error, exchange: snapshot.exchange, symbol: snapshot.symbol, failures: this.failures },
        'the engine failed to evaluate a book update; the update is skipped',
      );
    }
  }

  private scheduleTick(): void {
    this.tickTimer = this.clock.setTimeout(() => {
      if (!this.running) return;
      try {
        this.engine.updateHealth(this.provider.health());
        this.engine.tick(this.clock.now());
      } catch (error) {
        this.logger.error({ err: error }, 'engine tick failed; continuing');
      }
      this.scheduleTick();
    }, this.config.runner.tickIntervalMs);
  }
}
