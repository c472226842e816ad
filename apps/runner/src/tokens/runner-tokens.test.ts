import { describe, expect, it } from 'vitest';
import { TOKENS } from './runner-tokens.js';

describe('TOKENS', () => {
  it('are distinct symbols named after what they stand for', () => {
    const entries = Object.entries(TOKENS);
    expect(new Set(Object.values(TOKENS)).size).toBe(entries.length);
    for (const [name, token] of entries) {
      expect(typeof token).toBe('symbol');
      expect(token.description).toBe(name);
      expect(token).not.toBe(Symbol.for(name));
    }
  });
});
