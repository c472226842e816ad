import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UpbitFrameParser } from './frame-parser.js';
import { RecordingSink } from './test-support/recording-sink.js';

/**
 * The byte scanner must never disagree with the general path (UTF-8 check + JSON.parse): for any
 * frame, valid or damaged, both produce the same events with the same numbers.
 */

const fast = new UpbitFrameParser();
const slow = new UpbitFrameParser({ fastPath: false });

/** A number written the ways Upbit (or a hostile peer) may write it. */
const numberText = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 2_000_000_000 }),
      fc.double({ min: 0, max: 1e9, noNaN: true }),
      fc.integer({ min: 1, max: 99_999_999 }).map((n) => n / 1e8),
      fc.integer({ min: -5, max: 5 }),
    ),
    fc.constantFrom('plain', 'exp', 'EXP+', 'zeros', 'digits'),
  )
  .map(([value, style]) => {
    switch (style) {
      case 'exp':
        return value.toExponential().replace('e+', 'e');
      case 'EXP+':
        return value.toExponential().toUpperCase();
      case 'zeros':
        return Number.isInteger(value) ? `${value}.000` : `${value}00`;
      case 'digits':
        return value.toPrecision(19);
      default:
        return String(value);
    }
  });

const unitText = fc
  .tuple(numberText, numberText, numberText, numberText, fc.boolean(), fc.boolean())
  .map(([ap, bp, as, bs, simple, reorder]) => {
    const keys = simple ? ['ap', 'bp', 'as', 'bs'] : ['ask_price', 'bid_price', 'ask_size', 'bid_size'];
    const pairs = keys.map((key, i) => `"${key}":${[ap, bp, as, bs][i]}`);
    if (reorder) pairs.reverse();
    return { simple, text: `{${pairs.join(',')}}` };
  });

const styled = (value: number, style: number): string =>
  style === 1 ? value.toExponential().toUpperCase() : style === 2 ? value.toExponential() : String(value);

/** A well-formed book: asks ascending, bids descending, not crossed. */
const sortedUnits = fc
  .tuple(
    fc.integer({ min: 1_000, max: 200_000_000 }),
    fc.array(
      fc.tuple(
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 2 }),
      ),
      { maxLength: 30 },
    ),
    fc.boolean(),
  )
  .map(([mid, steps, simple]) => {
    let ask = mid;
    let bid = mid - 1;
    return steps.map(([askStep, bidStep, askLots, bidLots, style]) => {
      ask += askStep;
      bid = Math.max(1, bid - bidStep);
      const keys = simple ? ['ap', 'bp', 'as', 'bs'] : ['ask_price', 'bid_price', 'ask_size', 'bid_size'];
      const values = [
        styled(ask, style),
        styled(bid, style),
        styled(askLots / 1e8, style),
        styled(bidLots / 1e8, style),
      ];
      return { simple, text: `{${keys.map((key, i) => `"${key}":${values[i]}`).join(',')}}` };
    });
  });

const frameText = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.array(unitText, { maxLength: 6 }), sortedUnits),
    fc.constantFrom('KRW-BTC', 'KRW-ETH.15', 'KRW-XRP'),
    fc.integer({ min: 0, max: 2_000_000_000_000 }),
    fc.boolean(),
  )
  .map(([simple, units, code, timestamp, spaced]) => {
    const k = simple
      ? { type: 'ty', code: 'cd', ts: 'tms', units: 'obu', st: 'st' }
      : { type: 'type', code: 'code', ts: 'timestamp', units: 'orderbook_units', st: 'stream_type' };
    const sep = spaced ? ' , ' : ',';
    return (
      `{"${k.type}":"orderbook"${sep}"${k.code}":"${code}"${sep}"${k.ts}":${timestamp}${sep}` +
      `"${k.units}":[${units.map((unit) => unit.text).join(',')}]${sep}"${k.st}":"SNAPSHOT"}`
    );
  });

const damage = fc.oneof(
  fc.constant((text: Buffer) => text),
  fc.nat().map((at) => (text: Buffer) => text.subarray(0, at % (text.length + 1))),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => (text: Buffer) => {
    const copy = Buffer.from(text);
    if (copy.length > 0) copy[at % copy.length] = byte;
    return copy;
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => (text: Buffer) => {
    const cut = at % (text.length + 1);
    return Buffer.concat([text.subarray(0, cut), Buffer.from([byte]), text.subarray(cut)]);
  }),
);

function events(parser: UpbitFrameParser, data: Buffer): unknown[] {
  const sink = new RecordingSink();
  parser.parse(data, sink);
  return sink.summary();
}

describe('byte scanner vs JSON.parse', () => {
  it('agree on every generated frame, intact or damaged', () => {
    fc.assert(
      fc.property(frameText, damage, (text, hurt) => {
        const data = hurt(Buffer.from(text));
        expect(events(fast, data)).toEqual(events(slow, data));
      }),
      { numRuns: 3_000 },
    );
  });

  it('read intact frames exactly as JSON.parse does', () => {
    let books = 0;
    fc.assert(
      fc.property(frameText, (text) => {
        const sink = new RecordingSink();
        fast.parse(Buffer.from(text), sink);
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const units = (parsed.orderbook_units ?? parsed.obu) as Array<Record<string, number>>;
        const event = sink.events[0]!;
        if (event.kind === 'book') {
          const asks = units
            .map((unit) => [unit.ask_price ?? unit.ap, unit.ask_size ?? unit.as] as [number, number])
            .filter(([, size]) => size > 0);
          expect(event.book.asks).toEqual(asks);
          books++;
        } else {
          expect(event.kind).toBe('invalid');
        }
      }),
      { numRuns: 1_000 },
    );
    // The generator must mostly produce usable books, or this property says little.
    expect(books).toBeGreaterThan(300);
  });
});
