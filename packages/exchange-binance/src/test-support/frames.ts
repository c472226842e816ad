import type { BookEvent, UpdateId } from '@arbitrage/exchange-kit';

/** A depth event as plain data, for comparisons in tests. */
export interface PlainDepthEvent {
  kind: 'delta' | 'full';
  stream: string;
  symbol: string;
  eventTime: number;
  firstId: UpdateId;
  finalId: UpdateId;
  bids: [number, number][];
  asks: [number, number][];
}

export function plain(event: BookEvent): PlainDepthEvent {
  const bids: [number, number][] = [];
  for (let i = 0; i < event.bidCount; i++) bids.push([event.bidPrices[i]!, event.bidSizes[i]!]);
  const asks: [number, number][] = [];
  for (let i = 0; i < event.askCount; i++) asks.push([event.askPrices[i]!, event.askSizes[i]!]);
  return {
    kind: event.kind,
    stream: event.stream,
    symbol: event.symbol,
    eventTime: event.eventTime,
    firstId: event.firstId,
    finalId: event.finalId,
    bids,
    asks,
  };
}

export type Level = readonly [string, string];

export interface DiffFrameInput {
  readonly symbol: string;
  readonly eventTime: number;
  readonly first: number | bigint | string;
  readonly final: number | bigint | string;
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
}

/** A depthUpdate the way Binance writes it (compact, keys in its order). */
export function diffData(input: DiffFrameInput): string {
  return `{"e":"depthUpdate","E":${input.eventTime},"s":"${input.symbol}","U":${input.first},"u":${input.final},"b":${levels(
    input.bids,
  )},"a":${levels(input.asks)}}`;
}

export function combined(stream: string, data: string): string {
  return `{"stream":"${stream}","data":${data}}`;
}

export function diffFrame(input: DiffFrameInput, speed = '@100ms'): string {
  return combined(`${input.symbol.toLowerCase()}@depth${speed}`, diffData(input));
}

export function partialData(
  lastUpdateId: number | bigint,
  bids: readonly Level[],
  asks: readonly Level[],
): string {
  return `{"lastUpdateId":${lastUpdateId},"bids":${levels(bids)},"asks":${levels(asks)}}`;
}

export function levels(list: readonly Level[]): string {
  return `[${list.map(([price, size]) => `["${price}","${size}"]`).join(',')}]`;
}
