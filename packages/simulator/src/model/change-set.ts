/**
 * The levels one book step touched, with their final sizes (0 = removed). A step touches a dozen
 * levels or so, so a linear scan beats a Map; a step that moves the book far (a fault, a price jump)
 * can touch hundreds, which is still cheap once per step.
 */
export class ChangeSet {
  readonly bidKeys: number[] = [];
  readonly bidLots: number[] = [];
  readonly askKeys: number[] = [];
  readonly askLots: number[] = [];

  record(isBid: boolean, key: number, lots: number): void {
    const keys = isBid ? this.bidKeys : this.askKeys;
    const sizes = isBid ? this.bidLots : this.askLots;
    const index = keys.indexOf(key);
    if (index >= 0) sizes[index] = lots;
    else {
      keys.push(key);
      sizes.push(lots);
    }
  }

  get size(): number {
    return this.bidKeys.length + this.askKeys.length;
  }

  clear(): void {
    this.bidKeys.length = 0;
    this.bidLots.length = 0;
    this.askKeys.length = 0;
    this.askLots.length = 0;
  }

  /** Orders bids best (highest) first and asks best (lowest) first, as Binance writes them. */
  sort(): void {
    sortPairs(this.bidKeys, this.bidLots, true);
    sortPairs(this.askKeys, this.askLots, false);
  }
}

function sortPairs(keys: number[], lots: number[], descending: boolean): void {
  // Insertion sort: the arrays are short and often nearly sorted.
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    const size = lots[i]!;
    let j = i - 1;
    while (j >= 0 && (descending ? keys[j]! < key : keys[j]! > key)) {
      keys[j + 1] = keys[j]!;
      lots[j + 1] = lots[j]!;
      j--;
    }
    keys[j + 1] = key;
    lots[j + 1] = size;
  }
}
