import fc from 'fast-check';
import { expect, it } from 'vitest';
import { formatTime } from './batch-encoder.js';

it('formats times as the shortest text with at most 3 decimals that reads back exactly', () => {
  expect(formatTime(1765000000123)).toBe('1765000000123');
  expect(formatTime(1765000000123.5)).toBe('1765000000123.5');
  expect(formatTime(1765000000123.05)).toBe('1765000000123.05');
  expect(formatTime(1765000000123.005)).toBe('1765000000123.005');
  expect(formatTime(1765000000123.456)).toBe('1765000000123.456');
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4e15 }), (micros) => {
      const t = micros / 1000;
      expect(Number(formatTime(t))).toBe(t);
      expect(formatTime(t)).toBe(String(t));
    }),
  );
});
