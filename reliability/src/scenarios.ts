import { type InstrumentCounters, systemClock } from '@arbitrage/core';
import { type ExchangeName, MALFORMED_KINDS } from '@arbitrage/simulator';
import { sleep, waitFor } from '@arbitrage/test-support';
import { type CaseContext, counterDelta, countersOf } from './case-context.js';
import type { ProviderKind } from './providers.js';
import type { Scenario } from './scenario.js';
import {
  expectAnyError,
  expectCounterAtLeast,
  expectCounterZero,
  expectLeftLive,
  expectNoError,
  expectStayedLive,
  firstNonLiveAfter,
  hold,
  isStreaming,
  oneShot,
  sawError,
  sawNonLive,
} from './scenario-helpers.js';
import { ALLOWANCE_MS, TEST_SCALE } from './timings.js';

const { C, D, F, P, restTimeoutMs } = TEST_SCALE;
const EVERY_EXCHANGE = ['binance', 'upbit', 'okx'] as const;
/** The exchanges whose books are kept by update id from a REST snapshot (a lost update is a gap). */
const SEQUENCED = ['binance', 'okx'] as const;
const STREAMING: readonly ProviderKind[] = ['stream', 'ws', 'failover'];
const ALL: readonly ProviderKind[] = ['stream', 'ws', 'failover', 'rest'];
/** One snapshot round trip on loopback under load, as the bounds count it. */
const RTT = 50;

function isSequenced(ctx: CaseContext): boolean {
  return ctx.exchange !== 'upbit';
}

/** The REST path of the snapshot a resync asks for. */
function snapshotPath(ctx: CaseContext): string {
  return ctx.exchange === 'okx' ? '/api/v5/market/books' : '/api/v3/depth';
}

/** Forces a resync of the first symbol (a sequence gap) on Binance and OKX, or nothing on Upbit. */
function forceResync(ctx: CaseContext): void {
  if (isSequenced(ctx)) ctx.sim.faults.skipUpdates(ctx.exchange, ctx.natives[0]!, 1);
}

const WS_DOWN = ['WS_UNEXPECTED_CLOSE', 'WS_NETWORK', 'WS_HEARTBEAT_TIMEOUT', 'WS_STALE'];

/**
 * Every channel stops for 1.5 s, longer than the exchange's idle limit (600 ms at test scale): the
 * client's keepalive must hold the connection while the books go stale, and data coming back makes
 * them live again on the same connection.
 */
function idleRuleScenario(number: number, exchange: ExchangeName, name: string, bound: string): Scenario {
  return {
    number,
    id: String(number),
    name,
    exchanges: [exchange],
    providers: STREAMING,
    boundMs: 2 * F + RTT + 200,
    bound,
    run: async (ctx) => {
      const accepted = ctx.wsProxy.stats.accepted;
      let handle: { clear(): void } | undefined;
      const window = await hold(
        1_500,
        () => {
          handle = ctx.sim.faults.stallStream(exchange);
        },
        () => handle?.clear(),
      );
      ctx.metrics.reconnectsWhileIdle = ctx.wsProxy.stats.accepted - accepted;
      return window;
    },
    verify: (ctx, { injectedAt }) => [
      ...expectLeftLive(ctx, ctx.ids[0]!, injectedAt, 'no data is stale'),
      ...expectNoError(ctx, injectedAt, ['WS_UNEXPECTED_CLOSE', 'WS_NETWORK']),
      ...(Number(ctx.metrics.reconnectsWhileIdle) === 0
        ? []
        : [
            `${ctx.metrics.reconnectsWhileIdle} reconnect(s) while idle: the keepalive did not hold the link`,
          ]),
    ],
  };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    number: 1,
    id: '01',
    name: 'clean server close 1000 mid-stream',
    exchanges: EVERY_EXCHANGE,
    providers: STREAMING,
    boundMs: 200,
    bound: 'B + 1 snapshot RTT (< 200 ms)',
    run: (ctx) =>
      oneShot(
        () => void ctx.sim.faults.closeConnections(ctx.exchange, 1000),
        150,
        sawError(ctx, Date.now(), ['WS_UNEXPECTED_CLOSE']),
      ),
    verify: (ctx, { injectedAt }) => [
      ...expectAnyError(ctx, injectedAt, ['WS_UNEXPECTED_CLOSE']),
      ...(ctx.wsProxy.stats.accepted >= 2 ? [] : ['no reconnect after close 1000']),
    ],
  },
  {
    number: 2,
    id: '02',
    name: 'abrupt TCP reset (1006)',
    exchanges: EVERY_EXCHANGE,
    providers: ALL,
    boundMs: 200,
    bound: 'invalidated at once; reconnect after B (< 200 ms)',
    run: (ctx) =>
      oneShot(
        () => void (isStreaming(ctx) ? ctx.wsProxy.reset() : ctx.restProxy.reset()),
        150,
        isStreaming(ctx) ? sawNonLive(ctx, Date.now()) : undefined,
      ),
    verify: (ctx, { injectedAt }) => {
      if (!isStreaming(ctx)) return [];
      const failures = expectAnyError(ctx, injectedAt, WS_DOWN);
      // "Book invalidated at once": the first state change after the reset comes within the allowance.
      for (const id of ctx.ids) {
        const after = firstNonLiveAfter(ctx, id, injectedAt);
        if (after === undefined) failures.push(`${id} never left live after a reset`);
        else if (after > ALLOWANCE_MS) failures.push(`${id} left live only ${after} ms after the reset`);
        else ctx.metrics.invalidatedAfterMs = Math.max(Number(ctx.metrics.invalidatedAfterMs ?? 0), after);
      }
      return failures;
    },
  },
  {
    number: 3,
    id: '03',
    name: 'half-open blackhole (both ways)',
    exchanges: EVERY_EXCHANGE,
    providers: ALL,
    boundMs: 1_000,
    bound: `terminate within D + P (${D + P} ms); live ≤ connect timeout + C + RTT after lift`,
    run: async (ctx) => {
      const proxy = isStreaming(ctx) ? ctx.wsProxy : ctx.restProxy;
      const acceptedBefore = proxy.stats.accepted;
      const window = await hold(
        D + P + 400,
        () => {
          proxy.mode = 'blackhole';
        },
        () => proxy.heal(),
      );
      ctx.metrics.redialsDuringBlackhole = proxy.stats.accepted - acceptedBefore;
      return window;
    },
    verify: (ctx, { injectedAt }) => {
      if (!isStreaming(ctx)) return expectLeftLive(ctx, ctx.ids[0]!, injectedAt, 'no REST answer: stale');
      const failures = expectAnyError(ctx, injectedAt, ['WS_HEARTBEAT_TIMEOUT', 'WS_STALE']);
      if (Number(ctx.metrics.redialsDuringBlackhole ?? 0) < 1) {
        failures.push(`the dead connection was not replaced within ${D + P + 400} ms`);
      }
      return failures;
    },
  },
  {
    number: 4,
    id: '04',
    name: 'one-way blackhole (server→client)',
    exchanges: EVERY_EXCHANGE,
    providers: STREAMING,
    boundMs: 1_000,
    bound: `terminate within D + P (${D + P} ms); pongs never arrive`,
    run: async (ctx) => {
      const acceptedBefore = ctx.wsProxy.stats.accepted;
      const window = await hold(
        D + P + 400,
        () => {
          ctx.wsProxy.mode = 'downstream-blackhole';
        },
        () => ctx.wsProxy.heal(),
      );
      ctx.metrics.redialsDuringBlackhole = ctx.wsProxy.stats.accepted - acceptedBefore;
      return window;
    },
    verify: (ctx, { injectedAt }) => [
      ...expectAnyError(ctx, injectedAt, ['WS_HEARTBEAT_TIMEOUT', 'WS_STALE']),
      ...(Number(ctx.metrics.redialsDuringBlackhole ?? 0) >= 1
        ? []
        : [`the dead connection was not replaced within ${D + P + 400} ms`]),
    ],
  },
  {
    number: 5,
    id: '05',
    name: 'heartbeat-only stream (one symbol stalled)',
    exchanges: EVERY_EXCHANGE,
    providers: STREAMING,
    boundMs: 2 * F + RTT + 200,
    bound: 'STALE after F; data back → live within 2F + RTT',
    run: async (ctx) => {
      const accepted = ctx.wsProxy.stats.accepted;
      let handle: { clear(): void } | undefined;
      const window = await hold(
        4 * F,
        () => {
          handle = ctx.sim.faults.stallStream(ctx.exchange, { symbol: ctx.natives[0]! });
        },
        () => handle?.clear(),
      );
      ctx.metrics.reconnects = ctx.wsProxy.stats.accepted - accepted;
      return window;
    },
    verify: (ctx, { injectedAt }) => {
      const stalled = ctx.ids[0]!;
      const other = ctx.ids[1]!;
      const failures = expectLeftLive(ctx, stalled, injectedAt, 'stalled symbol must go stale');
      if (ctx.kind !== 'failover') {
        failures.push(...expectStayedLive(ctx, other, injectedAt, 'other symbol flows', true));
      }
      return failures;
    },
  },
  {
    number: 6,
    id: '06',
    name: 'slow drip: latency grows 0 → 1.5 s',
    exchanges: EVERY_EXCHANGE,
    providers: ALL,
    boundMs: 1_600,
    bound: 'STALE while lag > F; live again once the backlog drains',
    run: async (ctx) => {
      const proxy = isStreaming(ctx) ? ctx.wsProxy : ctx.restProxy;
      const injectedAt = Date.now();
      for (let latency = 100; latency <= 1_500; latency += 100) {
        proxy.latencyMs = latency;
        await sleep(100);
      }
      proxy.heal();
      return { injectedAt, liftedAt: Date.now() };
    },
    verify: (ctx, { injectedAt }) =>
      expectLeftLive(ctx, ctx.ids[0]!, injectedAt, 'a lagging book is not fresh'),
  },
  {
    number: 7,
    id: '07',
    name: 'sequence gap (one update skipped)',
    exchanges: EVERY_EXCHANGE,
    providers: STREAMING,
    boundMs: 300,
    bound: '1 snapshot RTT + 2 deltas (< 300 ms)',
    run: (ctx) =>
      oneShot(
        () => void ctx.sim.faults.skipUpdates(ctx.exchange, ctx.natives[0]!, 1),
        150,
        isSequenced(ctx) ? sawError(ctx, Date.now(), ['SEQUENCE_GAP']) : undefined,
      ),
    verify: (ctx, { injectedAt, countersBefore }) => {
      if (ctx.exchange === 'upbit') {
        // Every Upbit frame is a whole book: a lost frame is healed by the next; nothing to resync.
        return [];
      }
      const delta = counterDeltaOf(ctx, countersBefore);
      return [
        ...expectCounterAtLeast(delta, 'gaps', 1),
        ...expectCounterAtLeast(delta, 'resyncs', 1),
        ...expectLeftLive(ctx, ctx.ids[0]!, injectedAt, 'RESYNCING on the gap'),
      ];
    },
  },
  {
    number: 8,
    id: '08',
    name: 'duplicate and replayed deltas',
    exchanges: EVERY_EXCHANGE,
    providers: STREAMING,
    boundMs: 0,
    bound: 'ignored silently: never leaves live',
    run: (ctx) => oneShot(() => void ctx.sim.faults.duplicateMessages(ctx.exchange, ctx.natives[0]!, 3), 300),
    verify: (ctx, { injectedAt, countersBefore }) => {
      const delta = counterDeltaOf(ctx, countersBefore);
      const failures = [
        ...expectCounterZero(delta, 'resyncs'),
        ...expectCounterZero(delta, 'gaps'),
        ...expectStayedLive(ctx, ctx.ids[0]!, injectedAt, 'a duplicate never resyncs', true),
      ];
      if (isSequenced(ctx)) failures.push(...expectCounterAtLeast(delta, 'droppedStale', 1));
      return failures;
    },
  },
  {
    number: 9,
    id: '09',
    name: 'reordered deltas (two swapped)',
    exchanges: EVERY_EXCHANGE,
    providers: STREAMING,
    boundMs: 300,
    bound: 'as a gap (7): < 300 ms',
    run: (ctx) =>
      oneShot(
        () => void ctx.sim.faults.reorderMessages(ctx.exchange, ctx.natives[0]!),
        300,
        isSequenced(ctx) ? sawError(ctx, Date.now(), ['SEQUENCE_GAP']) : undefined,
      ),
    verify: (ctx, { countersBefore }) => {
      const delta = counterDeltaOf(ctx, countersBefore);
      return isSequenced(ctx)
        ? expectCounterAtLeast(delta, 'gaps', 1)
        : expectCounterAtLeast(delta, 'droppedStale', 1);
    },
  },
  {
    number: 11,
    id: '11',
    name: 'snapshot newer than the buffered deltas (WS delayed 150 ms on reconnect)',
    exchanges: SEQUENCED,
    providers: STREAMING,
    boundMs: 150 + 300,
    bound: 'buffers until the bridging event; live ≤ WS delay + 1 snapshot RTT + 2 deltas',
    run: async (ctx) => {
      ctx.wsProxy.latencyMs = 150;
      const window = await oneShot(() => void ctx.wsProxy.reset(), 900);
      ctx.wsProxy.heal();
      return window;
    },
  },
  {
    number: 13,
    id: '13',
    name: 'deltas arriving during a 500 ms snapshot fetch',
    exchanges: SEQUENCED,
    providers: STREAMING,
    boundMs: 500 + 300,
    bound: 'buffered and replayed: live ≤ REST delay + 300 ms',
    run: (ctx) =>
      oneShot(
        () => {
          ctx.sim.faults.restFault(ctx.exchange, { path: snapshotPath(ctx), delayMs: 500, count: 1 });
          forceResync(ctx);
        },
        700,
        sawError(ctx, Date.now(), ['SEQUENCE_GAP']),
      ),
    verify: (ctx, { countersBefore }) =>
      expectCounterAtLeast(counterDeltaOf(ctx, countersBefore), 'resyncs', 1),
  },
  {
    number: 14,
    id: '14',
    name: 'snapshot fails: 429, 429, then 418 Retry-After 1 s',
    exchanges: EVERY_EXCHANGE,
    providers: ['stream', 'ws', 'failover', 'rest'],
    applies: (exchange, kind) => exchange !== 'upbit' || kind === 'rest' || kind === 'failover',
    boundMs: 1_000 + 500,
    bound: 'no REST call until Retry-After ends; live ≤ Retry-After + 500 ms',
    run: async (ctx) => {
      const injectedAt = Date.now();
      const { faults } = ctx.sim;
      const base = ctx.restProxy.stats.requests;
      faults.restFault(ctx.exchange, { status: 429, retryAfterS: 0, count: 2 });
      faults.restFault(ctx.exchange, { status: 418, retryAfterS: 1, count: 1 });
      if (ctx.kind !== 'rest') forceResync(ctx);
      await waitFor(
        () => ctx.restProxy.stats.requests - base >= 3,
        3_000,
        () => 'three failing REST answers',
      ).catch(() => 0);
      const at418 = ctx.restProxy.stats.requests;
      await sleep(800);
      ctx.metrics.requestsDuringBan = ctx.restProxy.stats.requests - at418;
      return { injectedAt, liftedAt: Date.now() + 200 };
    },
    verify: (ctx, { injectedAt }) => {
      const failures: string[] = [];
      if (Number(ctx.metrics.requestsDuringBan) > 0) {
        failures.push(`${ctx.metrics.requestsDuringBan} REST request(s) during the 418 Retry-After`);
      }
      if (ctx.kind === 'failover' && ctx.exchange === 'upbit') {
        // The stream is healthy: a failing REST backup must not disturb it.
        failures.push(
          ...expectStayedLive(ctx, ctx.ids[0]!, injectedAt, 'REST backup failing, stream fine', true),
        );
      } else {
        failures.push(...expectLeftLive(ctx, ctx.ids[0]!, injectedAt, 'no snapshot: not live'));
      }
      return failures;
    },
  },
  {
    number: 15,
    id: '15',
    name: 'snapshot request hangs',
    exchanges: EVERY_EXCHANGE,
    providers: ['stream', 'ws', 'rest'],
    applies: (exchange, kind) => exchange !== 'upbit' || kind === 'rest' || kind === 'failover',
    boundMs: restTimeoutMs + C + 300,
    bound: `request timeout (${restTimeoutMs} ms), retry with backoff: live ≤ timeout + C + 300 ms`,
    run: (ctx) =>
      oneShot(
        () => {
          ctx.sim.faults.restFault(ctx.exchange, { hang: true, count: 1 });
          forceResync(ctx);
        },
        restTimeoutMs + 200,
        isSequenced(ctx) && ctx.kind !== 'rest' ? sawError(ctx, Date.now(), ['SEQUENCE_GAP']) : undefined,
      ),
    verify: (ctx, { injectedAt }) =>
      // The REST clients retry a timed-out request themselves, so no error need surface.
      ctx.kind === 'stream' || ctx.kind === 'ws'
        ? expectLeftLive(ctx, ctx.ids[0]!, injectedAt, 'resync waits on the hung snapshot')
        : [],
  },
  {
    number: 18,
    id: '18',
    name: 'reconnect storm: accept then close at once for 1.5 s',
    exchanges: EVERY_EXCHANGE,
    providers: STREAMING,
    boundMs: C + 300,
    bound: `exponential backoff to C (${C} ms); ≤ 12 dials in 1.5 s; live ≤ C + 300 ms after`,
    run: async (ctx) => {
      const before = ctx.wsProxy.stats.accepted;
      const window = await hold(
        1_500,
        () => {
          ctx.sim.faults.refuseConnections(ctx.exchange, 1_500, { mode: 'close-after-open' });
          ctx.sim.faults.dropConnections(ctx.exchange);
        },
        () => {},
      );
      ctx.metrics.dialsDuringStorm = ctx.wsProxy.stats.accepted - before;
      return window;
    },
    verify: (ctx) =>
      Number(ctx.metrics.dialsDuringStorm) <= 12
        ? []
        : [`${ctx.metrics.dialsDuringStorm} dials in 1.5 s: the backoff did not grow (C = ${C} ms)`],
  },
  {
    number: 20,
    id: '20',
    name: 'no duplicate subscription after 5 reconnects',
    exchanges: EVERY_EXCHANGE,
    providers: STREAMING,
    boundMs: 200,
    bound: 'one subscribe batch per connection; live < 200 ms after each',
    run: async (ctx) => {
      const injectedAt = Date.now();
      for (let i = 0; i < 5; i++) {
        ctx.sim.faults.dropConnections(ctx.exchange);
        await sleep(30);
        await waitFor(
          () =>
            ctx.sim.connections(ctx.exchange).length === 1 &&
            ctx.ids.every((id) => ctx.checker.instrument(id).state === 'live'),
          3_000,
          () => `reconnect ${i + 1}`,
        );
      }
      return { injectedAt, liftedAt: Date.now() };
    },
    verify: (ctx) => {
      const connections = ctx.sim.connections(ctx.exchange);
      const subscriptions = connections.flatMap((c) => c.subscriptions);
      const unique = new Set(subscriptions);
      ctx.metrics.subscriptionsOnServer = subscriptions.length;
      return connections.length === 1 &&
        unique.size === subscriptions.length &&
        unique.size === ctx.ids.length
        ? []
        : [
            `server sees ${connections.length} connection(s) with subscriptions ${JSON.stringify(subscriptions)}`,
          ];
    },
  },
  {
    number: 21,
    id: '21',
    name: 'stale async work: a slow snapshot lands after a reconnect',
    exchanges: SEQUENCED,
    providers: STREAMING,
    boundMs: 400 + 300,
    bound: 'old-generation results ignored; live ≤ REST delay + 300 ms',
    run: async (ctx) =>
      oneShot(
        async () => {
          ctx.sim.faults.restFault(ctx.exchange, { path: snapshotPath(ctx), delayMs: 400, count: 1 });
          forceResync(ctx);
          await sleep(60);
          ctx.sim.faults.dropConnections(ctx.exchange);
        },
        600,
        sawError(ctx, Date.now(), ['WS_UNEXPECTED_CLOSE']),
      ),
  },
  {
    number: 22,
    id: '22',
    name: 'serverShutdown then close (24 h rotation)',
    exchanges: ['binance'],
    providers: STREAMING,
    boundMs: RTT + 100,
    bound: 'new connection synced before the old one closes: no non-live window > 1 snapshot RTT',
    run: (ctx) => oneShot(() => void ctx.sim.faults.serverShutdown({ closeAfterMs: 400 }), 700),
    verify: (ctx, { injectedAt }) => {
      const failures: string[] = [];
      for (const id of ctx.ids) failures.push(...expectStayedLive(ctx, id, injectedAt, 'make-before-break'));
      const subscriptions = ctx.sim.connections('binance').flatMap((c) => c.subscriptions);
      if (subscriptions.length !== ctx.ids.length)
        failures.push(`after renewal the server holds ${JSON.stringify(subscriptions)}`);
      return failures;
    },
  },
  {
    number: 23,
    id: '23',
    name: 'Upbit binary frames with permessage-deflate',
    exchanges: ['upbit'],
    providers: STREAMING,
    boundMs: 0,
    bound: 'identical books from compressed binary frames',
    stream: () => ({ perMessageDeflate: true }),
    run: () => oneShot(() => undefined, 500),
    verify: (ctx, { injectedAt }) =>
      ctx.ids.flatMap((id) => expectStayedLive(ctx, id, injectedAt, 'deflate', true)),
  },
  idleRuleScenario(
    24,
    'upbit',
    'Upbit idle timeout (server closes after 600 ms silence); all data stopped',
    'keepalive keeps the socket; STALE, then live after data returns',
  ),
  {
    number: 25,
    id: '25',
    name: 'Upbit out-of-order (older timestamp) frame',
    exchanges: ['upbit'],
    providers: STREAMING,
    boundMs: 0,
    bound: 'dropped and counted; never regresses',
    run: (ctx) =>
      oneShot(() => {
        ctx.sim.faults.sendOlderFrame(ctx.natives[0]!);
      }, 200),
    verify: (ctx, { countersBefore, injectedAt }) => [
      ...expectCounterAtLeast(counterDeltaOf(ctx, countersBefore), 'droppedStale', 1),
      ...expectStayedLive(ctx, ctx.ids[0]!, injectedAt, 'an old frame is dropped, not a resync'),
    ],
  },
  {
    number: 26,
    id: '26a',
    name: 'crossed delta (next message only)',
    exchanges: EVERY_EXCHANGE,
    providers: STREAMING,
    boundMs: 300,
    bound: 'INVALID within one message, resync: < 300 ms',
    run: (ctx) =>
      oneShot(
        () => void ctx.sim.faults.crossBook(ctx.exchange, ctx.natives[0]!),
        300,
        sawError(ctx, Date.now(), ['BOOK_CROSSED', 'MESSAGE_INVALID']),
      ),
    verify: (ctx, { countersBefore, injectedAt }) => [
      ...expectCounterAtLeast(counterDeltaOf(ctx, countersBefore), 'crossed', 1),
      ...expectLeftLive(ctx, ctx.ids[0]!, injectedAt, 'crossed → resync'),
    ],
  },
  {
    number: 26,
    id: '26b',
    name: 'crossed book that persists (REST too) for 1 s',
    exchanges: EVERY_EXCHANGE,
    providers: ALL,
    boundMs: 500 + 300,
    bound: 'HALTED/failed while crossed; live ≤ halt retry (500 ms) + 300 ms after it clears',
    run: async (ctx) => {
      let handle: { clear(): void } | undefined;
      const window = await hold(
        1_000,
        () => {
          handle = ctx.sim.faults.crossBook(ctx.exchange, ctx.natives[0]!, { persist: true });
          ctx.driver.record();
        },
        () => {
          handle?.clear();
          ctx.driver.record();
        },
      );
      return window;
    },
    verify: (ctx, { injectedAt }) =>
      expectLeftLive(ctx, ctx.ids[0]!, injectedAt, 'a crossed book is never live'),
  },
  {
    number: 27,
    id: '27a',
    name: 'malformed payloads (every simulator kind)',
    exchanges: EVERY_EXCHANGE,
    providers: STREAMING,
    boundMs: 300,
    bound: 'counted, affected symbol resynced: < 300 ms',
    run: async (ctx) => {
      const injectedAt = Date.now();
      for (const kind of MALFORMED_KINDS) {
        ctx.sim.faults.sendMalformed(ctx.exchange, kind, { symbol: ctx.natives[0]! });
        await sleep(40);
      }
      await sleep(200);
      await waitFor(sawError(ctx, injectedAt, ['MESSAGE_INVALID']), 3_000, () => 'an invalid message').catch(
        () => 0,
      );
      return { injectedAt, liftedAt: Date.now() - 200 };
    },
    verify: (ctx, { countersBefore, injectedAt }) => [
      ...expectCounterAtLeast(counterDeltaOf(ctx, countersBefore), 'invalidMessages', 1),
      ...expectAnyError(ctx, injectedAt, ['MESSAGE_INVALID', 'WS_PARSE_ERROR', 'WS_PROTOCOL_VIOLATION']),
    ],
  },
  {
    number: 27,
    id: '27b',
    name: 'invalid opcode bytes via the proxy',
    exchanges: EVERY_EXCHANGE,
    providers: STREAMING,
    boundMs: 200,
    bound: 'protocol error → reconnect (< 200 ms)',
    // FIN + reserved opcode 0x3, unmasked, empty payload: ws must fail the connection (1002).
    run: (ctx) =>
      oneShot(
        () => void ctx.wsProxy.inject(Buffer.from([0x83, 0x00])),
        200,
        sawError(ctx, Date.now(), ['WS_PROTOCOL_VIOLATION']),
      ),
    verify: (ctx, { injectedAt }) =>
      expectAnyError(ctx, injectedAt, ['WS_PROTOCOL_VIOLATION', 'WS_NETWORK', 'WS_UNEXPECTED_CLOSE']),
  },
  {
    number: 27,
    id: '27c',
    name: '2 MB text frame over maxPayload via the proxy',
    exchanges: EVERY_EXCHANGE,
    providers: STREAMING,
    boundMs: 200,
    bound: 'close 1009 → reconnect (< 200 ms)',
    run: (ctx) =>
      oneShot(
        () => {
          const size = 2 * 1024 * 1024;
          const header = Buffer.alloc(10);
          header[0] = 0x81;
          header[1] = 127;
          header.writeBigUInt64BE(BigInt(size), 2);
          ctx.wsProxy.inject(Buffer.concat([header, Buffer.alloc(size, 0x20)]));
        },
        300,
        sawError(ctx, Date.now(), ['WS_PROTOCOL_VIOLATION']),
      ),
    verify: (ctx, { injectedAt }) => expectAnyError(ctx, injectedAt, ['WS_PROTOCOL_VIOLATION']),
  },
  {
    number: 29,
    id: '29',
    name: 'TCP slicing (1-byte, then 7-byte writes) then coalescing (30 ms)',
    // Slicing is slow by design: a calmer market (one update per book every 60 ms) keeps the proxy
    // from building a backlog that would turn this into the lag scenario (6) on a loaded machine.
    stepMs: 60,
    exchanges: EVERY_EXCHANGE,
    providers: ALL,
    boundMs: 500,
    bound: 'identical books; never a frame-boundary bug',
    run: async (ctx) => {
      const proxy = isStreaming(ctx) ? ctx.wsProxy : ctx.restProxy;
      const writesBefore = proxy.stats.downstreamWrites;
      const injectedAt = Date.now();
      proxy.mode = 'slice';
      proxy.sliceBytes = 1;
      await sleep(150);
      // 1-byte writes cannot carry Upbit's ~300 kB/s; 7-byte slices still split every frame header.
      proxy.sliceBytes = 7;
      await sleep(350);
      proxy.mode = 'coalesce';
      await sleep(500);
      proxy.heal();
      ctx.metrics.downstreamWrites = proxy.stats.downstreamWrites - writesBefore;
      return { injectedAt, liftedAt: Date.now() };
    },
  },
  {
    number: 32,
    id: '32',
    name: 'exchange clock 3 s ahead of ours',
    exchanges: EVERY_EXCHANGE,
    providers: ALL,
    boundMs: 2 * F + RTT + 200,
    bound: 'skew must not disable staleness: a stall still goes STALE after F',
    sim: () => ({
      clock: { ...systemClock, now: () => Date.now() + 3_000 },
    }),
    run: async (ctx) => {
      let handle: { clear(): void } | undefined;
      if (ctx.kind === 'rest') return oneShot(() => undefined, 300);
      return hold(
        4 * F,
        () => {
          handle = ctx.sim.faults.stallStream(ctx.exchange, { symbol: ctx.natives[0]! });
        },
        () => handle?.clear(),
      );
    },
    verify: (ctx, { injectedAt }) =>
      ctx.kind === 'rest' ? [] : expectLeftLive(ctx, ctx.ids[0]!, injectedAt, 'stalled under skew'),
  },
  {
    number: 40,
    id: '40',
    name: 'OKX sequence reset after maintenance (seqId below prevSeqId, linked)',
    exchanges: ['okx'],
    providers: STREAMING,
    boundMs: 0,
    bound: 'followed: never leaves live, no resync',
    run: (ctx) => oneShot(() => ctx.sim.faults.resetSequence('okx', ctx.natives[0]!), 300),
    verify: (ctx, { injectedAt, countersBefore }) => {
      const delta = counterDeltaOf(ctx, countersBefore);
      return [
        ...expectCounterZero(delta, 'gaps'),
        ...expectCounterZero(delta, 'resyncs'),
        ...expectStayedLive(ctx, ctx.ids[0]!, injectedAt, 'a linked reset is followed', true),
      ];
    },
  },
  {
    number: 40,
    id: '40b',
    name: 'OKX sequence reset that the client misses (the reset push is lost)',
    exchanges: ['okx'],
    providers: STREAMING,
    boundMs: 300,
    bound: 'as a gap (7): the lower ids are stamped later, resync < 300 ms',
    run: (ctx) =>
      oneShot(
        () => {
          ctx.sim.faults.skipUpdates('okx', ctx.natives[0]!, 1);
          ctx.sim.faults.resetSequence('okx', ctx.natives[0]!);
        },
        300,
        sawError(ctx, Date.now(), ['SEQUENCE_GAP']),
      ),
    verify: (ctx, { injectedAt, countersBefore }) => [
      ...expectCounterAtLeast(counterDeltaOf(ctx, countersBefore), 'gaps', 1),
      ...expectLeftLive(ctx, ctx.ids[0]!, injectedAt, 'RESYNCING on the missed reset'),
    ],
  },
  {
    number: 41,
    id: '41',
    name: 'OKX snapshot push resent mid-stream',
    exchanges: ['okx'],
    providers: STREAMING,
    boundMs: 0,
    bound: 'taken as a fresh snapshot: never leaves live, no gap, no REST resync',
    run: (ctx) =>
      oneShot(() => {
        ctx.sim.faults.resendSnapshot('okx', ctx.natives[0]!);
        // The push stands for a change made outside a market step: record that book too.
        ctx.driver.record();
      }, 300),
    verify: (ctx, { injectedAt, countersBefore }) => {
      const delta = counterDeltaOf(ctx, countersBefore);
      return [
        ...expectCounterZero(delta, 'gaps'),
        ...expectCounterZero(delta, 'resyncs'),
        ...expectStayedLive(ctx, ctx.ids[0]!, injectedAt, 'a resent push is a snapshot', true),
      ];
    },
  },
  {
    number: 42,
    id: '42',
    name: 'OKX service-upgrade notice (64008), connection dropped 400 ms later',
    exchanges: ['okx'],
    providers: STREAMING,
    boundMs: RTT + 200,
    bound: 'reconnects on the notice, before the drop: live ≤ 1 snapshot RTT + 200 ms after',
    run: async (ctx) => {
      const accepted = ctx.wsProxy.stats.accepted;
      const injectedAt = Date.now();
      ctx.sim.faults.serviceNotice('okx', 400);
      await waitFor(
        () => ctx.wsProxy.stats.accepted > accepted,
        1_000,
        () => 'a new connection after the notice',
      ).catch(() => 0);
      ctx.metrics.reconnectedAfterMs = Date.now() - injectedAt;
      await sleep(Math.max(0, 500 - (Date.now() - injectedAt)));
      return { injectedAt, liftedAt: Date.now() };
    },
    verify: (ctx) =>
      Number(ctx.metrics.reconnectedAfterMs) < 400
        ? []
        : [`reconnected ${ctx.metrics.reconnectedAfterMs} ms after the notice: not before the drop (400 ms)`],
  },
  idleRuleScenario(
    43,
    'okx',
    'OKX idle rule (server closes after 600 ms with nothing pushed); all data stopped',
    'text ping keeps the socket (pong is a push); STALE, then live after data returns',
  ),
];

function counterDeltaOf(ctx: CaseContext, before: InstrumentCounters): InstrumentCounters {
  return counterDelta(countersOf(ctx), before);
}

/** Every (scenario, exchange, provider) case of the matrix for one provider kind. */
export function casesFor(kind: ProviderKind): { scenario: Scenario; exchange: ExchangeName }[] {
  return SCENARIOS.flatMap((scenario) =>
    scenario.providers.includes(kind)
      ? scenario.exchanges
          .filter((exchange) => scenario.applies?.(exchange, kind) ?? true)
          .map((exchange) => ({ scenario, exchange }))
      : [],
  );
}
