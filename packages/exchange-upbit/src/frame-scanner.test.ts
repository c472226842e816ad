import { describe, expect, it } from 'vitest';
import { BookFrame } from './book-frame.js';
import { FrameScanner, SCAN_DEFER, SCAN_OK } from './frame-scanner.js';
import { bookFrame, bookMessage, btcUnits } from './test-support/frames.js';

const scanner = new FrameScanner();

describe('FrameScanner', () => {
  it('takes Upbit-shaped DEFAULT and SIMPLE frames itself', () => {
    const frame = new BookFrame();
    expect(scanner.scan(bookFrame({ units: btcUnits(30) }), frame)).toBe(SCAN_OK);
    expect(frame.unitCount).toBe(30);
    expect(frame.finish()).toBe(true);
    expect(frame.askPrices[0]).toBe(116_539_000);
    expect(scanner.scan(bookFrame({ units: btcUnits(15), format: 'SIMPLE' }), frame)).toBe(SCAN_OK);
    expect(frame.unitCount).toBe(15);
  });

  it('defers whatever it is not sure about to the general path', () => {
    const frame = new BookFrame();
    const defers = (text: string): void => {
      expect(scanner.scan(Buffer.from(text), frame)).toBe(SCAN_DEFER);
    };
    const json = JSON.stringify(bookMessage({ units: btcUnits(2) }));
    defers(`${json} x`); // trailing bytes
    defers(json.replace('"KRW-BTC"', '"KRW-\\u0042TC"')); // escapes
    defers(json.replace('"REALTIME"', '"RÉALTIME"')); // non-ASCII
    defers(json.replace('"level":0', '"level":0,"level":1')); // duplicate key
    defers(json.replace('"level":0', '"level":0,"cd":"KRW-ETH"')); // mixed DEFAULT and SIMPLE
    defers(json.replace('"type":"orderbook"', '"type":"ticker"')); // not an order book
    defers(json.replace('116539000', '0116539000')); // leading zero
    defers(json.replace('116539000', '116539000.')); // bare dot
    defers(json.slice(0, -1)); // truncated
    defers(`[${json}]`); // list formats
    defers('{"status":"UP"}');
  });
});
