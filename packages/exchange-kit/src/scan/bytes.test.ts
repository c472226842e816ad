import { describe, expect, it } from 'vitest';
import {
  ascii,
  bytesEqual,
  bytesEqualText,
  latin1,
  matchLiteral,
  skipPlainString,
  skipSpace,
} from './bytes.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('byte helpers', () => {
  it('ascii encodes one byte per character', () => {
    expect([...ascii('{"a":')]).toEqual([0x7b, 0x22, 0x61, 0x22, 0x3a]);
  });

  it('bytesEqual and bytesEqualText compare a whole range, length included', () => {
    const frame = bytes('{"bids":[]}');
    expect(bytesEqual(frame, 2, 6, ascii('bids'))).toBe(true);
    expect(bytesEqual(frame, 2, 5, ascii('bids'))).toBe(false);
    expect(bytesEqual(frame, 2, 6, ascii('asks'))).toBe(false);
    expect(bytesEqualText(frame, 2, 6, 'bids')).toBe(true);
    expect(bytesEqualText(frame, 2, 7, 'bids')).toBe(false);
  });

  it('matchLiteral returns the position after the literal, or -1 (also past the end)', () => {
    const frame = bytes('{"stream":"x"}');
    expect(matchLiteral(frame, 0, ascii('{"stream":"'))).toBe(11);
    expect(matchLiteral(frame, 1, ascii('{"'))).toBe(-1);
    expect(matchLiteral(frame, 12, ascii('"}x'))).toBe(-1);
  });

  it('skipSpace skips exactly the four JSON whitespace bytes', () => {
    expect(skipSpace(bytes(' \t\r\nx'), 0)).toBe(4);
    expect(skipSpace(bytes('\u000bx'), 0)).toBe(0);
    expect(skipSpace(bytes('  '), 0)).toBe(2);
  });

  it('skipPlainString takes printable ASCII without escapes, else -1', () => {
    expect(skipPlainString(bytes('"KRW-BTC",'), 0)).toBe(9);
    expect(skipPlainString(bytes('""'), 0)).toBe(2);
    expect(skipPlainString(bytes('x"a"'), 0)).toBe(-1);
    expect(skipPlainString(bytes('"a\\"b"'), 0)).toBe(-1);
    expect(skipPlainString(bytes('"a\nb"'), 0)).toBe(-1);
    expect(skipPlainString(Buffer.from('"é"', 'utf8'), 0)).toBe(-1);
    expect(skipPlainString(bytes('"unterminated'), 0)).toBe(-1);
  });

  it('latin1 decodes a range one character per byte', () => {
    expect(latin1(bytes('["0.1","2"]'), 2, 5)).toBe('0.1');
  });
});
