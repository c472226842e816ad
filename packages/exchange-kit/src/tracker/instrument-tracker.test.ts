import { type InstrumentStateChange, ManualClock, noopLogger, SequenceGapError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { BookEvent } from '../book/book-event.js';
import { InstrumentTracker, type InstrumentTrackerOptions } from './instrument-tracker.js';

function tracker(options: Partial<InstrumentTrackerOptions> = {}) {
  const clock = new ManualClock();
  const t = new InstrumentTracker({
    exchange: 'test',
    instruments: [
      { symbol: 'BTC/USDT', nativeSymbol: 'BTCUSDT' },
      { symbol: 'ETH/USDT', nativeSymbol: 'ETHUSDT' },
    ],
    clock,
    logger: noopLogger,
    staleAfterMs: 1_000,
    maxLagMs: 200,
    lagBaselineWindowMs: 60_000,
    ...options,
  });
  const changes: InstrumentStateChange[] = [];
  t.onStateChange((change) => changes.push(change));
  const btc = t.get('BTC/USDT');
  return { clock, t, changes, btc };
}

function levels(bid: number, ask: number): BookEvent {
  const event = new BookEvent(2);
  event.kind = 'full';
  event.pushBid(bid, 1);
  event.pushAsk(ask, 1);
  return event;
}

describe('InstrumentTracker', () => {
  it('reports connecting until the link opens and a book is published, then live', () => {
    const { t, btc, changes, clock } = tracker();
    t.start();
    expect(t.status('BTC/USDT')?.state).toBe('connecting');
    t.linkOpened();
    expect(t.book('BTC/USDT')).toBeUndefined();
    t.publishFullBook(btc, levels(10, 11), 10, clock.now(), clock.now());
    expect(t.status('BTC/USDT')?.state).toBe('live');
    expect(t.book('BTC/USDT')?.snapshot().bids).toEqual([[10, 1]]);
    expect(changes.map((c) => `${c.symbol}:${c.state}`)).toContain('BTC/USDT:live');
    expect(t.status('ETH/USDT')?.state).toBe('connecting');
  });

  it('a listener hearing live reads the book at the sequence and content that made it live', () => {
    const { t, btc, clock } = tracker();
    t.start();
    t.linkOpened();
    const heard: Array<[string, number | undefined, number | undefined]> = [];
    t.onStateChange((change) => {
      const snapshot = t.book(change.symbol)?.snapshot();
      heard.push([change.state, snapshot?.sequence, snapshot?.bids[0]?.[0]]);
    });
    btc.live.book.set('bid', 10, 1);
    t.published(btc, clock.now(), clock.now(), 100);
    t.setBookState(btc, 'resyncing', 'gap');
    btc.live.book.clear();
    btc.live.book.set('bid', 12, 1);
    t.published(btc, clock.now(), clock.now(), 205);
    expect(heard).toEqual([
      ['live', 100, 10],
      ['resyncing', 100, 10],
      ['live', 205, 12],
    ]);
  });

  it('judges lag on the update just published: stale while lagging, live with the update that caught up', () => {
    const { t, btc, clock } = tracker();
    t.start();
    t.linkOpened();
    const emitted: number[] = [];
    t.onUpdate((book) => emitted.push(book.sequence ?? 0));
    const heard: Array<[string, number | undefined]> = [];
    t.onStateChange((c) => heard.push([c.state, t.book(c.symbol)?.sequence]));
    t.published(btc, clock.now(), clock.now(), 1, clock.now());
    clock.advance(10);
    t.published(btc, clock.now() - 500, clock.now(), 2, clock.now() - 500);
    expect(t.status('BTC/USDT')?.reason).toMatch(/^lagging 500 ms behind the exchange \(max 200 ms/);
    expect(t.stats.laggingUpdates).toBe(1);
    clock.advance(10);
    t.published(btc, clock.now(), clock.now(), 3, clock.now());
    expect(heard).toEqual([
      ['live', 1],
      ['stale', 2],
      ['live', 3],
    ]);
    expect(emitted).toEqual([1, 3]);
    expect(t.lagMs('BTC/USDT')).toBe(0);
  });

  it('a silent live book goes stale on the sweep, with the plugin hint, and comes back on the next update', () => {
    const sweeps: number[] = [];
    const { t, btc, clock } = tracker({ silenceHint: '; ask again', onSweep: (now) => sweeps.push(now) });
    t.start();
    t.linkOpened();
    t.published(btc, clock.now(), clock.now(), 1);
    clock.advance(1_000);
    expect(t.status('BTC/USDT')).toMatchObject({
      state: 'stale',
      reason: 'no update for 1000 ms (staleAfterMs 1000); ask again',
    });
    expect(btc.counters.staleEvents).toBe(1);
    expect(sweeps.length).toBe(4);
    t.published(btc, clock.now(), clock.now(), 2);
    expect(t.status('BTC/USDT')?.state).toBe('live');
    t.stop();
  });

  it('a lost link makes books down, failed ones stay failed unless cleared; stop says stream stopped', () => {
    const { t, btc, clock } = tracker();
    t.start();
    t.linkOpened();
    t.published(btc, clock.now(), clock.now(), 1);
    t.setBookState(t.get('ETH/USDT'), 'failed', 'no such market');
    t.linkLost('closed with 1006; reconnecting');
    expect(t.status('BTC/USDT')).toMatchObject({ state: 'down', reason: 'closed with 1006; reconnecting' });
    expect(t.status('ETH/USDT')?.state).toBe('failed');
    t.linkOpened();
    expect(t.status('BTC/USDT')).toMatchObject({
      state: 'resyncing',
      reason: 'reconnected; waiting for a fresh book',
    });
    t.linkLost('closed', undefined, { clearFailed: true });
    expect(t.status('ETH/USDT')?.state).toBe('down');
    t.stop();
    expect(t.status('BTC/USDT')).toMatchObject({ state: 'down', reason: 'stream stopped' });
  });

  it('counts invalid messages per instrument and reports errors; a throwing listener is contained', () => {
    const { t, btc } = tracker();
    const errors: string[] = [];
    t.onError(() => {
      throw new Error('listener bug');
    });
    t.onError((error) => errors.push(error.code));
    t.invalid(btc, new SequenceGapError('test', 'BTC/USDT', 2, 5));
    t.invalid(undefined, new SequenceGapError('test', 'ETH/USDT', 2, 5));
    expect(btc.counters.invalidMessages).toBe(1);
    expect(errors).toEqual(['SEQUENCE_GAP', 'SEQUENCE_GAP']);
    expect(t.stats.listenerErrors).toBe(2);
  });

  it('names an unknown symbol clearly and looks instruments up by native symbol', () => {
    const { t } = tracker();
    expect(() => t.get('XRP/USDT')).toThrow(/test stream does not keep XRP\/USDT/);
    expect(t.byNative('ETHUSDT')?.symbol).toBe('ETH/USDT');
    expect(t.status('XRP/USDT')).toBeUndefined();
  });

  it('stop() leaves no timer behind', () => {
    const { t, clock } = tracker();
    t.start();
    expect(clock.pendingTimers).toBeGreaterThan(0);
    t.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});
