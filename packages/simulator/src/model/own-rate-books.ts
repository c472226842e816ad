/**
 * Books that update at their own rate (the universe's tiers) rather than their exchange's: each
 * keeps its own credit per tick. Starting credits are spread (golden-ratio phases) so a thousand
 * quiet books do not all update on the same tick.
 */
export class OwnRateBooks {
  private readonly steps: Array<() => void> = [];
  private readonly creditPerTick: number[] = [];
  private readonly credit: number[] = [];

  add(updatesPerSecond: number, tickMs: number, step: () => void): void {
    const index = this.steps.length;
    this.steps.push(step);
    this.creditPerTick.push((updatesPerSecond * tickMs) / 1000);
    this.credit.push((index * 0.618_033_988_75) % 1);
  }

  get size(): number {
    return this.steps.length;
  }

  /** One tick: every book whose credit reached one update steps (more than once if its rate asks). */
  tick(): void {
    for (let i = 0; i < this.steps.length; i++) {
      let credit = this.credit[i]! + this.creditPerTick[i]!;
      while (credit >= 1 - 1e-9) {
        credit -= 1;
        this.steps[i]!();
      }
      this.credit[i] = credit;
    }
  }
}
