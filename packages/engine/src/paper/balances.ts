/** exchange → asset → amount */
export type BalanceRecord = Record<string, Record<string, number>>;

/** Paper balances per exchange per asset. */
export class Balances {
  private readonly amounts = new Map<string, Map<string, number>>();

  constructor(initial: Readonly<Record<string, Readonly<Record<string, number>>>> = {}) {
    for (const [exchange, assets] of Object.entries(initial)) {
      for (const [asset, amount] of Object.entries(assets)) this.add(exchange, asset, amount);
    }
  }

  get(exchange: string, asset: string): number {
    return this.amounts.get(exchange)?.get(asset) ?? 0;
  }

  add(exchange: string, asset: string, delta: number): void {
    let assets = this.amounts.get(exchange);
    if (!assets) {
      assets = new Map();
      this.amounts.set(exchange, assets);
    }
    assets.set(asset, (assets.get(asset) ?? 0) + delta);
  }

  toRecord(): BalanceRecord {
    const record: BalanceRecord = {};
    for (const [exchange, assets] of this.amounts) record[exchange] = Object.fromEntries(assets);
    return record;
  }
}
