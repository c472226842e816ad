import type { InstrumentHealth, LiveBook, OrderBookSnapshot, ResolvedInstrument } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { FailoverInstrument, type FailoverPolicy } from '../src/index.js';

const policy: FailoverPolicy = { failoverAfterMs: 300, switchBackAfterMs: 500, restStaleAfterMs: 400 };
const instrument = {
  id: 'binance:BTC/USDT',
  exchange: 'binance',
  symbol: 'BTC/USDT',
  nativeSymbol: 'BTCUSDT',
} as unknown as ResolvedInstrument;

function wsHealth(state: InstrumentHealth['state'], reason?: string): InstrumentHealth {
  return {
    instrument: 'binance:BTC/USDT',
    exchange: 'binance',
    symbol: 'BTC/USDT',
    nativeSymbol: 'BTCUSDT',
    state,
    ...(reason === undefined ? {} : { reason }),
    since: 0,
    source: 'ws',
    counters: {
      updates: 0,
      invalidMessages: 0,
      droppedStale: 0,
      gaps: 0,
      crossed: 0,
      resyncs: 0,
      staleEvents: 0,
    },
  };
}

function restSnapshot(sequence: number, receivedAt: number): OrderBookSnapshot {
  return {
    exchange: 'binance',
    symbol: 'BTC/USDT',
    nativeSymbol: 'BTCUSDT',
    bids: [[100, 1]],
    asks: [[101, 1]],
    sequence,
    exchangeTime: receivedAt,
    receivedAt,
    source: 'rest',
  };
}

const book = (sequence: number, exchangeTime: number) => ({ sequence, exchangeTime }) as unknown as LiveBook;

describe('FailoverInstrument (the policy, on explicit times)', () => {
  it('fails over only after the stream has been not live for failoverAfterMs, continuously', () => {
    const entry = new FailoverInstrument(instrument);
    entry.reset(0);
    entry.observeStream(true, 100);
    entry.observeStream(false, 1_000);
    expect(entry.decide(1_299, policy, 'stale')).toBeUndefined();
    expect(entry.nextDeadline(policy)).toBe(1_300);
    // Live again in between: the clock restarts.
    entry.observeStream(true, 1_200);
    entry.observeStream(false, 1_250);
    expect(entry.decide(1_400, policy, 'down')).toBeUndefined();
    const decision = entry.decide(1_550, policy, 'connection lost');
    expect(decision).toEqual({ to: 'rest', reason: 'stream not live for 300 ms (connection lost)' });
  });

  it('switches back only after the stream has been live for switchBackAfterMs', () => {
    const entry = new FailoverInstrument(instrument);
    entry.reset(0);
    entry.switchTo('rest', 300);
    entry.observeStream(true, 1_000);
    expect(entry.decide(1_499, policy, undefined)).toBeUndefined();
    expect(entry.nextDeadline(policy)).toBe(1_500);
    expect(entry.decide(1_500, policy, undefined)?.to).toBe('ws');
    entry.switchTo('ws', 1_500);
    expect(entry.switches).toBe(2);
    expect(entry.lastSwitchAt).toBe(1_500);
  });

  it('never serves a REST snapshot older than the newest stream update', () => {
    const entry = new FailoverInstrument(instrument);
    entry.reset(0);
    entry.observeBook(book(500, 10));
    entry.switchTo('rest', 20);
    expect(entry.acceptRest(restSnapshot(490, 30))).toBe(true);
    expect(entry.restServable()).toBe(false);
    const served = entry.served(wsHealth('stale', 'no update'), 40, policy);
    expect(served.snapshotFrom).toBe('ws');
    expect(served.state).toBe('stale');
    expect(served.reason).toMatch(/older than the stream's last update/);

    expect(entry.acceptRest(restSnapshot(510, 50))).toBe(true);
    expect(entry.served(wsHealth('down'), 60, policy)).toEqual({
      snapshotFrom: 'rest',
      state: 'live',
      reason: undefined,
    });
    // A late response older than the snapshot held is dropped and counted.
    expect(entry.acceptRest(restSnapshot(505, 70))).toBe(false);
    expect(entry.restDroppedStale).toBe(1);
    // The stream comes back with a newer update: it is served while the hold period runs.
    entry.observeBook(book(520, 80));
    expect(entry.served(wsHealth('live'), 90, policy).snapshotFrom).toBe('ws');
  });

  it('reports a REST snapshot past restStaleAfterMs stale, and waits for the first one', () => {
    const entry = new FailoverInstrument(instrument);
    entry.reset(0);
    entry.switchTo('rest', 0);
    const waiting = entry.served(wsHealth('down', 'connection lost'), 10, policy);
    expect(waiting).toMatchObject({ state: 'down' });
    expect(waiting.reason).toMatch(/waiting for the first REST snapshot; stream down: connection lost/);
    entry.restError = 'rate limited by the exchange (429)';
    entry.acceptRest(restSnapshot(1, 100));
    expect(entry.restError).toBeUndefined();
    expect(entry.served(wsHealth('down'), 500, policy).state).toBe('live');
    entry.restError = 'rate limited (429), no request for 1000 ms';
    const stale = entry.served(wsHealth('down'), 501, policy);
    expect(stale.state).toBe('stale');
    expect(stale.reason).toMatch(/401 ms old.*rate limited \(429\)/);
    expect(entry.nextDeadline(policy)).toBe(501);
  });

  it('keeps the newest stream mark across resyncs that forget the book sequence', () => {
    const entry = new FailoverInstrument(instrument);
    entry.observeBook(book(100, 5));
    entry.observeBook({ sequence: undefined, exchangeTime: 6 } as unknown as LiveBook);
    expect(entry.wsMark).toEqual({ sequence: 100, exchangeTime: 6 });
    entry.observeBook(book(90, 7));
    expect(entry.wsMark).toEqual({ sequence: 100, exchangeTime: 6 });
  });
});

describe('FailoverInstrument: unsound REST books', () => {
  it('drops the held REST snapshot when a crossed one arrives, and says why', () => {
    const entry = new FailoverInstrument(instrument);
    entry.reset(0);
    entry.observeStream(false, 0);
    entry.switchTo('rest', 300);
    expect(entry.acceptRest(restSnapshot(10, 350))).toBe(true);
    expect(entry.served(wsHealth('down'), 360, policy)).toMatchObject({
      snapshotFrom: 'rest',
      state: 'live',
    });
    entry.rejectRest({ kind: 'crossed', detail: 'crossed: best bid 102 >= best ask 101' });
    const served = entry.served(wsHealth('down'), 370, policy);
    expect(served.state).not.toBe('live');
    expect(served.reason).toMatch(/REST book rejected \(crossed: best bid 102 >= best ask 101\)/);
    expect(entry.restCrossed).toBe(1);
    expect(entry.acceptRest(restSnapshot(11, 380))).toBe(true);
    expect(entry.served(wsHealth('down'), 390, policy)).toMatchObject({
      snapshotFrom: 'rest',
      state: 'live',
    });
  });
});
