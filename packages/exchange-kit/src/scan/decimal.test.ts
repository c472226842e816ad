import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal, parseDecimalString } from './decimal.js';

function parse(text: string): number {
  return parseDecimal(Buffer.from(text, 'latin1'), 0, text.length);
}

describe('parseDecimal', () => {
  it.each([
    ['0.00000000', 0],
    ['0', 0],
    ['4.00000200', 4.000002],
    ['431.00000000', 431],
    ['0.0024', 0.0024],
    ['3.426e-5', 3.426e-5],
    ['1.16539E8', 116539000],
    ['7.9276E-4', 7.9276e-4],
    ['1e+3', 1000],
    ['97123.45000000', 97123.45],
    ['12345678901234567890', 1.2345678901234567e19],
    ['0.1', 0.1],
    ['-2.5', -2.5],
  ])('%s → %d, exactly what Number() gives', (text, expected) => {
    expect(parse(text)).toBe(expected);
    expect(parse(text)).toBe(Number(text));
  });

  it.each([
    '',
    '-',
    '.5',
    '1.',
    '1e',
    '1e+',
    'abc',
    '1.2.3',
    '0x10',
    ' 1',
    '1 ',
    'NaN',
    'Infinity',
    '+1',
    '1_000',
  ])('rejects %j as not a decimal', (text) => {
    expect(parse(text)).toBeNaN();
    expect(parseDecimalString(text)).toBeNaN();
  });

  it('reads a range inside a larger buffer', () => {
    const bytes = Buffer.from('["0.0026","100"]');
    expect(parseDecimal(bytes, 2, 8)).toBe(0.0026);
    expect(parseDecimal(bytes, 11, 14)).toBe(100);
  });

  it('agrees with Number() on random decimal strings (property)', () => {
    const digits = (min: number, max: number) =>
      fc
        .array(fc.constantFrom(...'0123456789'.split('')), { minLength: min, maxLength: max })
        .map((d) => d.join(''));
    const decimal = fc
      .record({
        negative: fc.boolean(),
        integer: digits(1, 20),
        fraction: fc.option(digits(1, 20), { nil: undefined }),
        exponent: fc.option(fc.integer({ min: -340, max: 340 }), { nil: undefined }),
        upper: fc.boolean(),
      })
      .map(
        ({ negative, integer, fraction, exponent, upper }) =>
          `${negative ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}${
            exponent === undefined ? '' : `${upper ? 'E' : 'e'}${exponent}`
          }`,
      );
    fc.assert(
      fc.property(decimal, (text) => {
        expect(Object.is(parse(text), Number(text))).toBe(true);
        expect(Object.is(parseDecimalString(text), Number(text))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with Number() on Binance-style 8-decimal strings (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 8 }),
        (n, scale) => {
          const text = (n / 10 ** 8).toFixed(scale);
          expect(parse(text)).toBe(Number(text));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
