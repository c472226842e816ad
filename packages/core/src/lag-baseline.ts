/** Slots of the sliding minimum: the window advances one slot (window / SLOTS) at a time. */
const SLOTS = 8;

/**
 * A timestamp further than this from the local clock is not a lag or a clock offset anyone can act
 * on but a broken field: it is ignored, so one absurd value cannot poison the baseline.
 */
export const MAX_PLAUSIBLE_OFFSET_MS = 10 * 60 * 1000;

/**
 * How far a feed has fallen behind the exchange, with a constant clock offset taken out.
 *
 * A raw sample `receivedAt − exchangeTime` is network delay + queueing + (local clock − exchange
 * clock). Its minimum over a sliding window estimates the offset plus the floor of the delay, so
 * `raw − minimum` is the lag a message picked up on its way. A constant skew (the exchange's clock
 * seconds off ours) moves every sample and the minimum alike and never counts as lag.
 *
 * Limit: timestamps alone cannot tell a delay that stays constant from a clock offset. A delay that
 * lasts longer than `windowMs` is absorbed into the baseline (and a local clock stepped forward is
 * reported as lag for at most that long).
 */
export class LagBaseline {
  private readonly slotMs: number;
  private readonly minima = new Float64Array(SLOTS).fill(Number.POSITIVE_INFINITY);
  private slot = Number.NEGATIVE_INFINITY;
  private minimum = Number.POSITIVE_INFINITY;
  /** Samples ignored because their timestamp was absent, not finite or implausibly far off. */
  ignored = 0;

  constructor(readonly windowMs: number) {
    this.slotMs = Math.max(1, windowMs / SLOTS);
  }

  /** The estimated clock offset (local − exchange, network floor included), ms; undefined before the first sample. */
  get offsetMs(): number | undefined {
    return this.minimum === Number.POSITIVE_INFINITY ? undefined : this.minimum;
  }

  /**
   * Records a message that arrived at `receivedAt` (local ms) stamped `exchangeTime` (exchange ms)
   * and returns its lag above the baseline (>= 0), or undefined when the timestamp is unusable.
   */
  lagOf(receivedAt: number, exchangeTime: number): number | undefined {
    const raw = receivedAt - exchangeTime;
    if (!(exchangeTime > 0) || !Number.isFinite(raw) || Math.abs(raw) > MAX_PLAUSIBLE_OFFSET_MS) {
      this.ignored++;
      return undefined;
    }
    const slot = Math.floor(receivedAt / this.slotMs);
    if (slot > this.slot) this.advance(slot);
    // A local clock stepped back keeps writing into the newest slot.
    const index = slotIndex(this.slot);
    if (raw < this.minima[index]!) this.minima[index] = raw;
    if (raw < this.minimum) this.minimum = raw;
    return raw - this.minimum;
  }

  /** Forgets every sample (a new exchange host, or tests). */
  reset(): void {
    this.minima.fill(Number.POSITIVE_INFINITY);
    this.slot = Number.NEGATIVE_INFINITY;
    this.minimum = Number.POSITIVE_INFINITY;
  }

  /** Moves the window to end at `slot`: slots that fell out of it are emptied. */
  private advance(slot: number): void {
    const steps = Math.min(SLOTS, slot - this.slot);
    for (let i = 1; i <= steps; i++) this.minima[slotIndex(slot - steps + i)] = Number.POSITIVE_INFINITY;
    this.slot = slot;
    let minimum = Number.POSITIVE_INFINITY;
    for (let i = 0; i < SLOTS; i++) if (this.minima[i]! < minimum) minimum = this.minima[i]!;
    this.minimum = minimum;
  }
}

function slotIndex(slot: number): number {
  return ((slot % SLOTS) + SLOTS) % SLOTS;
}

/** The reason a lagging book is not fresh, as streams report it in their health. */
export function lagReason(lagMs: number, maxLagMs: number, offsetMs: number): string {
  return (
    `lagging ${Math.round(lagMs)} ms behind the exchange (max ${maxLagMs} ms; ` +
    `clock offset ${Math.round(offsetMs)} ms excluded)`
  );
}
