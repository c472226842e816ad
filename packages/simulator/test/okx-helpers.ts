/** OKX frame shapes and a naive local book following docs/protocols/okx.md E6–E7, for the tests. */

export type OkxLevel = [string, string, string, string];

export interface OkxBooksData {
  asks: OkxLevel[];
  bids: OkxLevel[];
  ts: string;
  checksum?: number;
  seqId: number;
  prevSeqId?: number;
  instId?: string;
}

export interface OkxPush {
  arg: { channel: string; instId: string };
  action?: 'snapshot' | 'update';
  data: OkxBooksData[];
}

export interface OkxEvent {
  event: string;
  arg?: { channel: string; instId: string };
  code?: string;
  msg?: string;
  connId?: string;
  id?: string;
}

export interface OkxRestBooks {
  code: string;
  msg: string;
  data: { asks: OkxLevel[]; bids: OkxLevel[]; ts: string; seqId: number }[];
}

export const isPush =
  (channel = 'books', instId?: string) =>
  (message: Partial<OkxPush> & Partial<OkxEvent>): boolean =>
    message.event === undefined &&
    message.arg?.channel === channel &&
    (instId === undefined || message.arg.instId === instId);

export class OkxLocalBook {
  readonly bids = new Map<string, number>();
  readonly asks = new Map<string, number>();
  seqId = -1;

  load(data: { asks: OkxLevel[]; bids: OkxLevel[]; seqId: number }): void {
    this.bids.clear();
    this.asks.clear();
    for (const [price, size] of data.bids) this.bids.set(price, Number(size));
    for (const [price, size] of data.asks) this.asks.set(price, Number(size));
    this.seqId = data.seqId;
  }

  /** Applies an update that links (prevSeqId = the book's seqId); throws on a broken link. */
  apply(data: OkxBooksData): void {
    if (data.prevSeqId !== this.seqId)
      throw new Error(`gap: book at ${this.seqId}, update prevSeqId ${data.prevSeqId}`);
    for (const [price, size] of data.bids) this.set(this.bids, price, size);
    for (const [price, size] of data.asks) this.set(this.asks, price, size);
    this.seqId = data.seqId;
  }

  top(side: 'bids' | 'asks', n: number): [number, number][] {
    const levels = [...this[side].entries()].map(([price, size]): [number, number] => [Number(price), size]);
    levels.sort((x, y) => (side === 'bids' ? y[0] - x[0] : x[0] - y[0]));
    return levels.slice(0, n);
  }

  private set(side: Map<string, number>, price: string, size: string): void {
    const value = Number(size);
    if (value === 0) side.delete(price);
    else side.set(price, value);
  }
}
