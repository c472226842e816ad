import type { Simulator } from '@arbitrage/simulator';
import type { TruthRecorder } from './truth.js';

/**
 * Moves the (paused) simulated market: every `stepMs` each watched book gets one update, and the
 * truth is recorded right after, in the same tick, so every published book is in the history.
 */
export class MarketDriver {
  private timer: NodeJS.Timeout | undefined;
  steps = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly truths: readonly TruthRecorder[],
    private readonly stepMs = 20,
  ) {
    for (const truth of truths) truth.record();
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.step(), this.stepMs);
  }

  step(): void {
    this.steps++;
    for (const truth of this.truths) {
      if (truth.exchange === 'binance') this.sim.market.stepBinance(1, truth.natives);
      else if (truth.exchange === 'okx') this.sim.market.stepOkx(1, truth.natives);
      else this.sim.market.stepUpbit(1, truth.natives);
    }
    // Faults like crossBook mutate books outside step(): recording after every step catches them too.
    for (const truth of this.truths) truth.record();
  }

  /** Records the truth now (after a fault changed a book by hand). */
  record(): void {
    for (const truth of this.truths) truth.record();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
