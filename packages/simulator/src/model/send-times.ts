/** Send times of one symbol: a ring of increasing ids with their hrtime, searched by bisection. */
class SymbolRing {
  private readonly ids: Float64Array;
  private readonly times: BigInt64Array;
  private start = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    this.ids = new Float64Array(capacity);
    this.times = new BigInt64Array(capacity);
  }

  record(id: number): void {
    const capacity = this.capacity;
    if (this.count > 0 && id <= this.ids[(this.start + this.count - 1) % capacity]!) return;
    const slot = (this.start + this.count) % capacity;
    this.ids[slot] = id;
    this.times[slot] = process.hrtime.bigint();
    if (this.count < capacity) this.count++;
    else this.start = (this.start + 1) % capacity;
  }

  get(id: number): bigint | undefined {
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const slot = (this.start + mid) % this.capacity;
      const value = this.ids[slot]!;
      if (value === id) return this.times[slot];
      if (value < id) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }
}

/**
 * When each update was first written to a socket (process.hrtime.bigint()), per symbol and id
 * (Binance final update id `u`, Upbit orderbook `timestamp`; both increase). Bounded: a ring of
 * `capacity` entries per symbol, allocated on first use; 0 disables recording.
 */
export class SendTimeRecorder {
  private readonly rings = new Map<string, SymbolRing>();

  constructor(readonly capacity: number) {}

  record(symbol: string, id: number): void {
    if (this.capacity === 0) return;
    let ring = this.rings.get(symbol);
    if (!ring) {
      ring = new SymbolRing(this.capacity);
      this.rings.set(symbol, ring);
    }
    ring.record(id);
  }

  get(symbol: string, id: number): bigint | undefined {
    return this.rings.get(symbol)?.get(id);
  }
}
