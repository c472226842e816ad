import type { Rng } from './random.js';

/** A mean-reverting (Ornstein-Uhlenbeck) value, stepped exactly for any dt. */
export class MeanReverting {
  constructor(
    public value: number,
    private readonly mean: number,
    /** Stationary standard deviation. */
    private readonly sd: number,
    private readonly halfLifeMs: number,
  ) {}

  step(dtMs: number, rng: Rng): void {
    const decay = Math.exp((-Math.LN2 * dtMs) / this.halfLifeMs);
    this.value =
      this.mean + (this.value - this.mean) * decay + this.sd * Math.sqrt(1 - decay * decay) * rng.normal();
  }
}
