import { ManualClock } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { type SubscriptionMethod, SubscriptionRequests } from './subscription-requests.js';

function requests() {
  const clock = new ManualClock();
  const sent: Array<{ method: SubscriptionMethod; topics: readonly string[]; id: number; at: number }> = [];
  const settled: Array<{ topics: readonly string[]; ok: boolean; reason?: string }> = [];
  const r = new SubscriptionRequests({
    clock,
    intervalMs: 300,
    topicsPerRequest: 2,
    ackTimeoutMs: 1_000,
    retryBackoff: { baseMs: 500, capMs: 4_000, jitter: 0 },
    send: (method, topics, id) => {
      sent.push({ method, topics, id, at: clock.now() });
      return true;
    },
    settled: (topics, ok, reason) =>
      settled.push({ topics, ok, ...(reason === undefined ? {} : { reason }) }),
  });
  return { clock, r, sent, settled };
}

describe('SubscriptionRequests', () => {
  it('batches topics and spaces requests at least intervalMs apart; nothing goes out while closed', () => {
    const { clock, r, sent } = requests();
    r.enqueue('subscribe', ['a', 'b', 'c', 'd', 'e']);
    expect(sent).toEqual([]);
    r.opened();
    r.enqueue('subscribe', ['a', 'b', 'c', 'd', 'e']);
    expect(sent.map((s) => s.topics)).toEqual([['a', 'b']]);
    clock.advance(300);
    clock.advance(300);
    expect(sent.map((s) => [s.topics, s.at - sent[0]!.at])).toEqual([
      [['a', 'b'], 0],
      [['c', 'd'], 300],
      [['e'], 600],
    ]);
    expect(r.pending).toBe(3);
  });

  it('settles a subscribe on its reply; an error reply or a silence fails it and retries with backoff', () => {
    const { clock, r, sent, settled } = requests();
    r.opened();
    r.enqueue('subscribe', ['a', 'b', 'c']);
    clock.advance(300);
    expect(r.reply(sent[0]!.id)).toBe(true);
    expect(r.reply(sent[1]!.id, 'Invalid symbol')).toBe(true);
    expect(r.reply(999)).toBe(false);
    expect(settled).toEqual([
      { topics: ['a', 'b'], ok: true },
      { topics: ['c'], ok: false, reason: 'Invalid symbol' },
    ]);
    clock.advance(500);
    expect(sent.at(-1)?.topics).toEqual(['c']);
    clock.advance(1_000);
    expect(settled.at(-1)).toEqual({ topics: ['c'], ok: false, reason: 'no reply within 1000 ms' });
    clock.advance(1_000);
    expect(sent.filter((s) => s.topics[0] === 'c').length).toBe(3);
  });

  it('slowDown doubles the spacing; closed() drops every request, reply timer and retry', () => {
    const { clock, r, sent } = requests();
    r.opened();
    r.slowDown();
    r.enqueue('subscribe', ['a', 'b', 'c']);
    clock.advance(300);
    expect(sent.length).toBe(1);
    clock.advance(300);
    expect(sent.length).toBe(2);
    r.closed();
    expect(r.pending).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('replyTopic settles one topic of a batch; the timeout fails only the unanswered ones', () => {
    const { clock, r, sent, settled } = requests();
    r.opened();
    r.enqueue('subscribe', ['a', 'b']);
    const id = sent[0]!.id;
    expect(r.awaits(id, 'a')).toBe(true);
    expect(r.replyTopic(id, 'a')).toBe(true);
    expect(r.replyTopic(id, 'a')).toBe(false);
    expect(r.awaits(id, 'a')).toBe(false);
    expect(r.pending).toBe(1);
    clock.advance(1_000);
    expect(settled).toEqual([
      { topics: ['a'], ok: true },
      { topics: ['b'], ok: false, reason: 'no reply within 1000 ms' },
    ]);
    // Only the unanswered topic is asked for again.
    clock.advance(500);
    expect(sent.at(-1)?.topics).toEqual(['b']);
  });

  it('replyTopic with a failure fails that topic alone; the rest of the batch still settles', () => {
    const { clock, r, sent, settled } = requests();
    r.opened();
    r.enqueue('subscribe', ['a', 'b']);
    const id = sent[0]!.id;
    expect(r.replyTopic(id, 'b', 'does not exist')).toBe(true);
    expect(r.replyTopic(id, 'a')).toBe(true);
    expect(r.pending).toBe(0);
    expect(settled).toEqual([
      { topics: ['b'], ok: false, reason: 'does not exist' },
      { topics: ['a'], ok: true },
    ]);
    clock.advance(500);
    expect(sent.at(-1)?.topics).toEqual(['b']);
    // reply() on a partly answered request settles only what is left.
    r.enqueue('subscribe', ['c', 'd']);
    clock.advance(300);
    const next = sent.at(-1)!;
    expect(next.topics).toEqual(['c', 'd']);
    r.replyTopic(next.id, 'c');
    expect(r.reply(next.id, 'refused')).toBe(true);
    expect(settled.slice(-2)).toEqual([
      { topics: ['c'], ok: true },
      { topics: ['d'], ok: false, reason: 'refused' },
    ]);
  });
});
