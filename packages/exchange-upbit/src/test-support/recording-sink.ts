import type { InvalidMessageError } from '@arbitrage/core';
import type { BookFrame } from '../book-frame.js';
import type { UpbitFrameSink } from '../frame-parser.js';

export interface RecordedBook {
  readonly code: string;
  readonly timestamp: number;
  readonly streamType: string;
  readonly asks: Array<[number, number]>;
  readonly bids: Array<[number, number]>;
}

export type Recorded =
  | { readonly kind: 'book'; readonly book: RecordedBook }
  | { readonly kind: 'status' }
  | { readonly kind: 'exchange-error'; readonly name: string; readonly message: string }
  | { readonly kind: 'other'; readonly type: string }
  | {
      readonly kind: 'invalid';
      readonly reason: string;
      readonly code: string | undefined;
      readonly error: InvalidMessageError;
    };

export function copyBook(frame: BookFrame): RecordedBook {
  const asks: Array<[number, number]> = [];
  const bids: Array<[number, number]> = [];
  for (let i = 0; i < frame.askCount; i++) asks.push([frame.askPrices[i]!, frame.askSizes[i]!]);
  for (let i = 0; i < frame.bidCount; i++) bids.push([frame.bidPrices[i]!, frame.bidSizes[i]!]);
  return { code: frame.code, timestamp: frame.timestamp, streamType: frame.streamType, asks, bids };
}

/** A sink that records every call, books copied out of the reused frame. */
export class RecordingSink implements UpbitFrameSink {
  readonly events: Recorded[] = [];

  onBook(frame: BookFrame): void {
    this.events.push({ kind: 'book', book: copyBook(frame) });
  }

  onStatus(): void {
    this.events.push({ kind: 'status' });
  }

  onExchangeError(name: string, message: string): void {
    this.events.push({ kind: 'exchange-error', name, message });
  }

  onOther(type: string): void {
    this.events.push({ kind: 'other', type });
  }

  onInvalid(error: InvalidMessageError, code: string | undefined): void {
    this.events.push({ kind: 'invalid', reason: error.reason, code, error });
  }

  get books(): RecordedBook[] {
    return this.events.flatMap((event) => (event.kind === 'book' ? [event.book] : []));
  }

  /** Events without the error objects, for whole-list comparisons. */
  summary(): unknown[] {
    return this.events.map((event) =>
      event.kind === 'invalid' ? { kind: 'invalid', reason: event.reason, code: event.code } : event,
    );
  }
}
