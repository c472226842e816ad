import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal, readJsonNumber } from './decimal.js';

const out = new Float64Array(2);

/** Reads the number at the start of `text`: [value, end position], or undefined when rejected. */
function read(text: string): [number, number] | undefined {
  out[1] = Number.NaN;
  const end = readJsonNumber(Buffer.from(text, 'latin1'), 0, out, 1);
  return end < 0 ? undefined : [out[1]!, end];
}

/** What JSON.parse makes of `text` as a whole, or undefined when it is not a JSON number. */
function jsonNumber(text: string): number | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

const digitString = (min: number, max: number) =>
  fc
    .array(fc.constantFrom(...'0123456789'.split('')), { minLength: min, maxLength: max })
    .map((d) => d.join(''));

/** Number-like text, JSON or not: leading zeros, bare dots, signs, huge exponents, 25-digit mantissas. */
const numberLike = fc
  .record({
    sign: fc.constantFrom('', '', '-', '+'),
    integer: fc.oneof(digitString(0, 25), fc.constantFrom('0', '00', '01', '-0')),
    fraction: fc.option(digitString(0, 25), { nil: undefined }),
    exponent: fc.option(
      fc.record({
        letter: fc.constantFrom('e', 'E'),
        sign: fc.constantFrom('', '+', '-'),
        digits: fc.oneof(digitString(0, 3), fc.integer({ min: 0, max: 400 }).map(String)),
      }),
      { nil: undefined },
    ),
  })
  .map(
    ({ sign, integer, fraction, exponent }) =>
      `${sign}${integer}${fraction === undefined ? '' : `.${fraction}`}${
        exponent === undefined ? '' : `${exponent.letter}${exponent.sign}${exponent.digits}`
      }`,
  );

describe('readJsonNumber', () => {
  it.each([
    ['0', 0],
    ['-0', -0],
    ['-0.0', -0],
    ['0.1', 0.1],
    ['116539000', 116_539_000],
    ['0.00123456', 0.00123456],
    ['1790134742106', 1_790_134_742_106],
    ['1.16539E8', 116_539_000],
    ['3.426e-5', 3.426e-5],
    ['1e+3', 1000],
    ['12345678901234567890', 1.2345678901234567e19],
    ['9007199254740993', 2 ** 53], // rounds to even, as JSON.parse does,
    ['1e400', Number.POSITIVE_INFINITY],
    ['1e-400', 0],
  ])('%s → %d, as JSON.parse reads it', (text, expected) => {
    expect(read(text)).toEqual([expected, text.length]);
    expect(Object.is(read(text)![0], JSON.parse(text))).toBe(true);
  });

  it.each(['', '-', '+1', '01', '-01', '00', '.5', '1.', '1.e3', '1e', '1e+', 'Infinity', 'NaN'])(
    'rejects %j as JSON does',
    (text) => {
      expect(read(text)).toBeUndefined();
      expect(jsonNumber(text)).toBeUndefined();
    },
  );

  it('stops at the first byte that cannot continue the number, leaving it to the caller', () => {
    expect(read('12,')).toEqual([12, 2]);
    expect(read('1.5}')).toEqual([1.5, 3]);
    expect(read('7 ')).toEqual([7, 1]);
    expect(read('0x10')).toEqual([0, 1]);
    const bytes = Buffer.from('{"ap":116539000.5,"as":0.1}');
    expect(readJsonNumber(bytes, 6, out, 0)).toBe(17);
    expect(out[0]).toBe(116539000.5);
  });

  it('hands an exponent too long to accumulate to Number(), even where a fraction as long cancels it', () => {
    // 0.(123455 zeros)1 is 10^-123456: times 10^123456 it is 1, times 10^1234567 it overflows.
    const fraction = `0.${'0'.repeat(123_455)}1`;
    for (const text of [`${fraction}e123456`, `${fraction}e1234567`]) {
      const expected = JSON.parse(text) as number;
      expect(read(text)).toEqual([expected, text.length]);
      expect(parseDecimal(Buffer.from(text), 0, text.length)).toBe(expected);
    }
    expect(JSON.parse(`${fraction}e123456`)).toBe(1);
  });

  it('agrees with JSON.parse on generated number-like text: same verdict, same double (property)', () => {
    fc.assert(
      fc.property(numberLike, (text) => {
        const expected = jsonNumber(text);
        const got = read(text);
        if (expected === undefined) {
          // Not JSON as a whole: either rejected, or a valid prefix that the caller must see end early.
          if (got !== undefined) expect(got[1]).toBeLessThan(text.length);
          return;
        }
        expect(got).toBeDefined();
        expect(got![1]).toBe(text.length);
        expect(Object.is(got![0], expected)).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it('agrees with JSON.parse on every double written out by JSON.stringify (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = JSON.stringify(value);
        expect(Object.is(read(text)![0], JSON.parse(text))).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });
});
