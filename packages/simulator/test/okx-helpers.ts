import { crc32 } from 'node:zlib';

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
  /** Price string → size string, as on the wire. */
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  seqId = -1;

  load(data: { asks: OkxLevel[]; bids: OkxLevel[]; seqId: number }): void {
    this.bids.clear();
    this.asks.clear();
    for (const [price, size] of data.bids) this.bids.set(price, size);
    for (const [price, size] of data.asks) this.asks.set(price, size);
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
    return this.sorted(side)
      .slice(0, n)
      .map(([price, size]): [number, number] => [Number(price), Number(size)]);
  }

  /** OKX's former checksum, computed independently: 25 levels a side interleaved, CRC32 signed. */
  checksum(): number {
    const bids = this.sorted('bids');
    const asks = this.sorted('asks');
    const parts: string[] = [];
    for (let i = 0; i < 25; i++) {
      if (bids[i]) parts.push(...bids[i]!);
      if (asks[i]) parts.push(...asks[i]!);
    }
    return crc32(parts.join(':')) | 0;
  }

  private sorted(side: 'bids' | 'asks'): [string, string][] {
    const levels = [...this[side].entries()];
    levels.sort((x, y) => (side === 'bids' ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
    return levels;
  }

  private set(side: Map<string, string>, price: string, size: string): void {
    if (Number(size) === 0) side.delete(price);
    else side.set(price, size);
  }
}
