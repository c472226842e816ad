import { ManualClock, RateBudget, TimeoutError } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { RequestScheduler } from './request-scheduler.js';

/** Lets promise callbacks run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Started {
  readonly signal: AbortSignal;
  resolve(value: number): void;
}

function setup(
  options: { limit?: number; maxConcurrent?: number; minIntervalMs?: number; taskTimeoutMs?: number } = {},
) {
  const clock = new ManualClock();
  const budget = new RateBudget({ limit: options.limit ?? 5000, windowMs: 60_000, clock });
  const scheduler = new RequestScheduler({
    budget,
    clock,
    maxConcurrent: options.maxConcurrent ?? 2,
    minIntervalMs: options.minIntervalMs ?? 0,
    taskTimeoutMs: options.taskTimeoutMs ?? 10_000,
  });
  const started: Started[] = [];
  const submit = (weight: number, signal = new AbortController().signal) =>
    scheduler.run(weight, signal, (taskSignal) => {
      // The REST client takes the weight when it sends.
      budget.tryTake(weight);
      return new Promise<number>((resolve) => started.push({ signal: taskSignal, resolve }));
    });
  return { clock, budget, scheduler, started, submit };
}

describe('RequestScheduler (docs/faults.md 16)', () => {
  it('never runs more than maxConcurrent snapshots at once, in arrival order', async () => {
    const s = setup({ maxConcurrent: 2 });
    const results = Array.from({ length: 50 }, () => s.submit(5));
    expect(s.started.length).toBe(2);
    for (let i = 0; i < 50; i++) {
      s.started[i]!.resolve(i);
      await settle();
    }
    await expect(Promise.all(results)).resolves.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(s.scheduler.peakConcurrent).toBe(2);
  });

  it('staggers starts minIntervalMs apart', () => {
    const s = setup({ maxConcurrent: 10, minIntervalMs: 100 });
    for (let i = 0; i < 3; i++) void s.submit(5);
    expect(s.started.length).toBe(1);
    s.clock.advance(99);
    expect(s.started.length).toBe(1);
    s.clock.advance(1);
    expect(s.started.length).toBe(2);
    s.clock.advance(100);
    expect(s.started.length).toBe(3);
  });

  it('waits for the weight budget: 50 snapshots of 250 under 5000/min run 20 per minute', async () => {
    const s = setup({ maxConcurrent: 50 });
    for (let i = 0; i < 50; i++) void s.submit(250);
    expect(s.started.length).toBe(20);
    for (const task of s.started) task.resolve(0);
    await settle();
    s.clock.advance(59_999);
    expect(s.started.length).toBe(20);
    s.clock.advance(1);
    expect(s.started.length).toBe(40);
  });

  it('starts nothing while the budget is blocked by Retry-After', () => {
    const s = setup();
    s.budget.blockUntil(s.clock.now() + 120_000);
    void s.submit(5);
    s.clock.advance(119_999);
    expect(s.started.length).toBe(0);
    s.clock.advance(1);
    expect(s.started.length).toBe(1);
  });

  it('removes an aborted queued task and leaves no timer', async () => {
    const s = setup({ maxConcurrent: 1 });
    void s.submit(5);
    const controller = new AbortController();
    const queued = s.submit(5, controller.signal);
    controller.abort(new Error('resync cancelled'));
    await expect(queued).rejects.toThrow('resync cancelled');
    expect(s.scheduler.queued).toBe(0);
    s.budget.blockUntil(s.clock.now() + 1_000);
    const other = new AbortController();
    const waiting = s.submit(5, other.signal);
    s.started[0]!.resolve(0);
    await settle();
    expect(s.clock.pendingTimers).toBe(1);
    other.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(s.clock.pendingTimers).toBe(0);
  });

  it('times a task out from its start, not from its queueing', async () => {
    const s = setup({ maxConcurrent: 1, taskTimeoutMs: 500 });
    void s.submit(5);
    const second = s.submit(5);
    s.clock.advance(400);
    s.started[0]!.resolve(0);
    await settle();
    expect(s.started.length).toBe(2);
    s.clock.advance(499);
    expect(s.started[1]!.signal.aborted).toBe(false);
    s.clock.advance(1);
    expect(s.started[1]!.signal.aborted).toBe(true);
    await expect(second).rejects.toBeInstanceOf(TimeoutError);
  });
});
