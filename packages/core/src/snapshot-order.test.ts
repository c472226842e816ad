import { describe, expect, it } from 'vitest';
import { Listeners } from './listeners.js';
import { isOlderUpdate } from './snapshot-order.js';

describe('isOlderUpdate', () => {
  it('compares update ids when both have one, whatever the times say', () => {
    expect(isOlderUpdate({ sequence: 9, exchangeTime: 500 }, { sequence: 10, exchangeTime: 100 })).toBe(true);
    expect(isOlderUpdate({ sequence: 10, exchangeTime: 1 }, { sequence: 10, exchangeTime: 100 })).toBe(false);
  });

  it('falls back to exchange times; an equal mark is not older', () => {
    expect(isOlderUpdate({ exchangeTime: 99 }, { sequence: 10, exchangeTime: 100 })).toBe(true);
    expect(isOlderUpdate({ exchangeTime: 100 }, { exchangeTime: 100 })).toBe(false);
    expect(isOlderUpdate({ sequence: undefined, exchangeTime: 101 }, { exchangeTime: 100 })).toBe(false);
  });
});

describe('Listeners', () => {
  it('calls every listener, survives a throwing one, and unsubscribes idempotently', () => {
    const errors: unknown[] = [];
    const listeners = new Listeners<number>((error) => errors.push(error));
    const seen: number[] = [];
    const off = listeners.add((v) => seen.push(v));
    listeners.add(() => {
      throw new Error('boom');
    });
    const offSelf = listeners.add((v) => {
      seen.push(v * 10);
      offSelf();
    });
    listeners.emit(1);
    listeners.emit(2);
    expect(seen).toEqual([1, 10, 2]);
    expect(errors).toHaveLength(2);
    off();
    off();
    expect(listeners.size).toBe(1);
    listeners.clear();
    expect(listeners.size).toBe(0);
  });
});
