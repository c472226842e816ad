/** Counts events per reason. Incrementing a known reason allocates nothing. */
export class ReasonCounts<Reason extends string = string> {
  private readonly counts = new Map<Reason, number>();
  private sum = 0;

  increment(reason: Reason, by = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + by);
    this.sum += by;
  }

  get(reason: Reason): number {
    return this.counts.get(reason) ?? 0;
  }

  get total(): number {
    return this.sum;
  }

  /** A plain object, keys sorted, for summaries and JSON. */
  toRecord(): Record<string, number> {
    const record: Record<string, number> = {};
    for (const key of [...this.counts.keys()].sort()) record[key] = this.counts.get(key)!;
    return record;
  }
}
