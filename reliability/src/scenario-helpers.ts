import type { InstrumentCounters } from '@arbitrage/core';
import { sleep, waitFor } from '@arbitrage/test-support';
import { type CaseContext, statesSince } from './case-context.js';
import type { FaultWindow } from './scenario.js';

/** Injects, holds the fault `holdMs`, lifts it. */
export async function hold(
  holdMs: number,
  inject: () => void | Promise<void>,
  lift: () => void | Promise<void>,
): Promise<FaultWindow> {
  const injectedAt = Date.now();
  await inject();
  await sleep(holdMs);
  await lift();
  return { injectedAt, liftedAt: Date.now() };
}

/**
 * A one-shot fault: injected, then at least `settleMs` for the client to react, and until `seen()`
 * holds (at most 3 s: on a loaded machine a close can take a while to arrive); the fault ends at once.
 */
export async function oneShot(
  inject: () => void | Promise<void>,
  settleMs = 150,
  seen?: () => boolean,
): Promise<FaultWindow> {
  const injectedAt = Date.now();
  await inject();
  await sleep(settleMs);
  if (seen) await waitFor(seen, 3_000, () => 'the fault to take effect').catch(() => 0);
  return { injectedAt, liftedAt: injectedAt };
}

/** Some error with one of `codes` was recorded since `since`. */
export function sawError(ctx: CaseContext, since: number, codes: readonly string[]): () => boolean {
  return () => {
    const seen = ctx.tap.codes(since);
    return codes.some((code) => (seen[code] ?? 0) > 0);
  };
}

/** Some instrument left live since `since`. */
export function sawNonLive(ctx: CaseContext, since: number): () => boolean {
  return () => ctx.ids.some((id) => firstNonLiveAfter(ctx, id, since) !== undefined);
}

/** At least one of `codes` was reported since `since`. */
export function expectAnyError(ctx: CaseContext, since: number, codes: readonly string[]): string[] {
  const seen = ctx.tap.codes(since);
  return codes.some((code) => (seen[code] ?? 0) > 0)
    ? []
    : [`expected an error ${codes.join(' or ')}; saw ${JSON.stringify(seen)}`];
}

export function expectNoError(ctx: CaseContext, since: number, codes: readonly string[]): string[] {
  const seen = ctx.tap.codes(since);
  const found = codes.filter((code) => (seen[code] ?? 0) > 0);
  return found.length === 0 ? [] : [`unexpected error(s) ${found.join(', ')}: ${JSON.stringify(seen)}`];
}

export function expectCounterAtLeast(
  delta: InstrumentCounters,
  key: keyof InstrumentCounters,
  min: number,
): string[] {
  return delta[key] >= min ? [] : [`counter ${key} grew by ${delta[key]}, expected ≥ ${min}`];
}

export function expectCounterZero(delta: InstrumentCounters, key: keyof InstrumentCounters): string[] {
  return delta[key] === 0 ? [] : [`counter ${key} grew by ${delta[key]}, expected 0`];
}

/** The instrument left 'live' (any non-live state) after `since`. */
export function expectLeftLive(ctx: CaseContext, id: string, since: number, label: string): string[] {
  const states = statesSince(ctx, id, since);
  return states.some((s) => !s.startsWith('live'))
    ? []
    : [`${id} never left live (${label}); states ${states.join(' → ') || 'none'}`];
}

/**
 * The instrument never left 'live' after `since` (any source). `allowStale`: a 'stale' blip is
 * tolerated (freshness F = 200 ms is shorter than a scheduling hiccup of a loaded 2-core machine);
 * 'resyncing', 'down' and 'failed' never are.
 */
export function expectStayedLive(
  ctx: CaseContext,
  id: string,
  since: number,
  label: string,
  allowStale = false,
): string[] {
  const states = statesSince(ctx, id, since);
  const bad = states.filter((s) => !s.startsWith('live') && !(allowStale && s.startsWith('stale')));
  return bad.length === 0 ? [] : [`${id} left live (${label}): ${states.join(' → ')}`];
}

/** Whether the provider has a stream-first view (everything but the REST poller). */
export function isStreaming(ctx: CaseContext): boolean {
  return ctx.kind !== 'rest';
}

/** The first time since `since` that an instrument left live (ms after since), or undefined. */
export function firstNonLiveAfter(ctx: CaseContext, id: string, since: number): number | undefined {
  const t = ctx.checker.instrument(id).transitions.find((x) => x.at >= since && x.state !== 'live');
  return t ? t.at - since : undefined;
}
