import { ManualClock } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { flatBook } from '../test-support/books.js';
import { START, TEST_ENGINE, TEST_LIMITS } from '../test-support/harness.js';
import { testVenue } from '../test-support/venues.js';
import type { EngineVenues } from '../types.js';
import { createPaperEngine } from './create-paper-engine.js';

/** One KRW venue, two USDT venues: routes upbit-binance and upbit-okx. */
const VENUES: EngineVenues = {
  krw: { id: 'upbit', venue: testVenue('KRW', 0.0005) },
  usdt: [
    { id: 'binance', venue: testVenue('USDT', 0.001) },
    { id: 'okx', venue: testVenue('USDT', 0.001) },
  ],
};

/** KRW mid at parity with USDT 100 000 × 1 400. */
const PARITY_KRW = 140_000_000;

function multiRoute() {
  const clock = new ManualClock(START);
  const parts = createPaperEngine({
    engine: {
      ...TEST_ENGINE,
      assets: [
        { asset: 'BTC', tradeSize: 0.01 },
        { asset: 'ETH', tradeSize: 0.1 },
      ],
    },
    venues: VENUES,
    limits: { ...TEST_LIMITS, maxPositionPerAsset: { BTC: 0.02, ETH: 0.2 }, maxOpenTrades: 4 },
    paper: {
      latencyMs: 20,
      initialBalances: {
        krw: { KRW: 100_000_000, BTC: 1, ETH: 10 },
        usdt: { USDT: 100_000, BTC: 1, ETH: 10 },
        exchanges: { okx: { USDT: 50_000, BTC: 0.5, ETH: 5 } },
      },
    },
    clock,
  });
  const { engine, market } = parts;
  /** Books of one asset: KRW mid, and the USDT mid on each USDT venue; USDT/KRW at 1 400. */
  const push = (asset: string, krw: number, usdt: { binance: number; okx: number }) => {
    const now = clock.now();
    market.updateSnapshot(flatBook('upbit', 'USDT/KRW', 1_400, now));
    market.updateSnapshot(flatBook('binance', `${asset}/USDT`, usdt.binance, now));
    market.updateSnapshot(flatBook('okx', `${asset}/USDT`, usdt.okx, now));
    engine.onSnapshot(flatBook('upbit', `${asset}/KRW`, krw, now));
    return engine.lastDecision(asset)!;
  };
  return { clock, ...parts, push };
}

describe('ArbitrageEngine with two USDT venues', () => {
  it('watches every route and subscribes each market once', () => {
    const { engine } = multiRoute();
    expect(engine.config.routes.map((route) => route.name)).toEqual(['upbit-binance', 'upbit-okx']);
    expect(engine.markets().map((m) => `${m.exchange}:${m.symbol}`)).toEqual([
      'upbit:BTC/KRW',
      'binance:BTC/USDT',
      'okx:BTC/USDT',
      'upbit:ETH/KRW',
      'binance:ETH/USDT',
      'okx:ETH/USDT',
      'upbit:USDT/KRW',
    ]);
  });

  it('opens on the route with the better expected profit, and the pair keeps its route to its close', () => {
    const { engine, broker, clock, push } = multiRoute();
    // BTC is 2 % dearer in KRW than on Binance, 2.5 % dearer than on OKX: OKX is the better route.
    const opened = push('BTC', PARITY_KRW * 1.02, { binance: 100_000, okx: 100_000 / 1.005 });
    expect(opened).toMatchObject({ kind: 'open', route: 'upbit-okx', direction: 'sell_krw_buy_usdt' });
    expect(
      broker
        .activeOrders()
        .map((o) => `${o.exchange}:${o.side}`)
        .sort(),
    ).toEqual(['okx:buy', 'upbit:sell']);
    clock.advance(20);
    const [trade] = engine.trades();
    expect(trade).toMatchObject({ route: 'upbit-okx', state: 'open' });
    expect(trade?.usdt.exchange).toBe('okx');

    // Binance reverting closes nothing: the pair is judged on its own route (OKX narrowed to 0.9 %,
    // short of both its target and a new entry).
    clock.advance(1);
    const held = push('BTC', PARITY_KRW * 1.02, { binance: 102_000, okx: 102_000 / 1.009 });
    expect(held).toMatchObject({ kind: 'skip', reason: 'below_threshold' });
    expect(engine.trades()[0]?.state).toBe('open');

    // OKX reverts: the pair closes there, on OKX's book.
    clock.advance(1);
    const closed = push('BTC', PARITY_KRW * 1.02, { binance: 102_000, okx: 102_000 });
    expect(closed).toMatchObject({ kind: 'close', route: 'upbit-okx', tradeId: trade?.id });
    expect(
      broker
        .activeOrders()
        .map((o) => `${o.exchange}:${o.side}`)
        .sort(),
    ).toEqual(['okx:sell', 'upbit:buy']);
    clock.advance(20);
    expect(engine.trades()[0]).toMatchObject({
      route: 'upbit-okx',
      state: 'closed',
      closeReason: 'converged',
    });

    const summary = engine.summary();
    expect(summary.trades.byRoute['upbit-okx']).toMatchObject({
      krw: 'upbit',
      usdt: 'okx',
      opened: 1,
      closed: 1,
      open: 0,
      closedBy: { converged: 1 },
    });
    expect(summary.trades.byRoute['upbit-okx']!.realisedKrw).toBeCloseTo(summary.pnl.realisedKrw, 6);
    expect(summary.trades.byRoute['upbit-binance']).toMatchObject({ opened: 0, closed: 0, realisedKrw: 0 });
    expect(Object.keys(summary.premiums.BTC!)).toEqual(['upbit-binance', 'upbit-okx']);
    expect(summary.premiums.BTC!['upbit-okx']!.route).toBe('upbit-okx');
  });

  it('takes the first configured route on a tie', () => {
    const { push } = multiRoute();
    const decision = push('BTC', PARITY_KRW * 1.02, { binance: 100_000, okx: 100_000 });
    expect(decision).toMatchObject({ kind: 'open', route: 'upbit-binance' });
  });

  it('trades both routes when each is the better one for a different asset', () => {
    const { engine, clock, push } = multiRoute();
    expect(push('BTC', PARITY_KRW * 1.02, { binance: 100_000 / 1.005, okx: 100_000 })).toMatchObject({
      kind: 'open',
      route: 'upbit-binance',
    });
    expect(push('ETH', 7_000_000 * 1.02, { binance: 5_000, okx: 5_000 / 1.005 })).toMatchObject({
      kind: 'open',
      route: 'upbit-okx',
    });
    clock.advance(20);
    expect(
      engine
        .trades()
        .map((trade) => `${trade.asset}:${trade.route}:${trade.state}`)
        .sort(),
    ).toEqual(['BTC:upbit-binance:open', 'ETH:upbit-okx:open']);
    const { byRoute } = engine.summary().trades;
    expect(byRoute['upbit-binance']).toMatchObject({ opened: 1, open: 1 });
    expect(byRoute['upbit-okx']).toMatchObject({ opened: 1, open: 1 });
  });

  it('holds pairs of one asset on two routes within the per-asset position limit', () => {
    const { engine, clock, push } = multiRoute();
    expect(push('BTC', PARITY_KRW * 1.02, { binance: 100_000, okx: 100_000 / 1.005 }).route).toBe(
      'upbit-okx',
    );
    clock.advance(20);
    // OKX catches up; Binance is still wide: the next pair goes to Binance.
    clock.advance(1);
    const second = push('BTC', PARITY_KRW * 1.02, { binance: 100_000, okx: 101_000 });
    expect(second).toMatchObject({ kind: 'open', route: 'upbit-binance' });
    clock.advance(20);
    // 0.02 BTC is the limit: a third pair is refused on either route.
    clock.advance(1);
    const third = push('BTC', PARITY_KRW * 1.02, { binance: 100_000, okx: 101_000 });
    expect(third.reason).toBe('risk_refused:max_position');
    expect(
      engine
        .trades()
        .map((trade) => trade.route)
        .sort(),
    ).toEqual(['upbit-binance', 'upbit-okx']);
  });

  it('re-prices only the routes a book touches, and opens on another route whose books are unchanged', () => {
    const { engine, clock, market, push } = multiRoute();
    push('BTC', PARITY_KRW, { binance: 100_000, okx: 100_000 });
    const quoteAt = (route: string) => engine.summary().premiums.BTC![route]!.at;
    const pricedAt = clock.now();
    clock.advance(5);
    // A Binance update re-prices upbit-binance only; OKX's quote is the one from its own books.
    engine.onSnapshot(flatBook('binance', 'BTC/USDT', 100_000, clock.now()));
    expect(quoteAt('upbit-binance')).toBe(clock.now());
    expect(quoteAt('upbit-okx')).toBe(pricedAt);
    // OKX cheapens: the OKX update opens on OKX.
    clock.advance(5);
    engine.onSnapshot(flatBook('okx', 'BTC/USDT', 100_000 / 1.03, clock.now()));
    expect(engine.lastDecision('BTC')).toMatchObject({ kind: 'open', route: 'upbit-okx' });
    expect(market.latest('okx', 'BTC/USDT')).toBeDefined();
  });

  it('re-prices a route whose book changed while the asset waited for fills, before comparing it', () => {
    const { engine, clock, push } = multiRoute();
    // Binance at parity, OKX 2.5 % cheap: the pair opens on OKX, its orders in flight for 20 ms.
    expect(push('BTC', PARITY_KRW * 1.02, { binance: 102_000, okx: 102_000 / 1.025 }).route).toBe(
      'upbit-okx',
    );
    clock.advance(1);
    // Binance turns 3 % cheap while the asset waits: nothing is judged yet.
    const waiting = engine.onSnapshot(flatBook('binance', 'BTC/USDT', 102_000 / 1.03, clock.now()));
    expect(waiting).toBe(1);
    expect(engine.lastDecision('BTC')).toMatchObject({ kind: 'wait', reason: 'orders_pending' });
    clock.advance(20);
    // The next OKX update also re-prices Binance's route: its book changed while waiting.
    engine.onSnapshot(flatBook('okx', 'BTC/USDT', 102_000 / 1.025, clock.now()));
    expect(engine.lastDecision('BTC')).toMatchObject({ kind: 'open', route: 'upbit-binance' });
  });

  it('re-prices a route whose book was handed to the MarketView directly', () => {
    const { engine, clock, market, push } = multiRoute();
    push('BTC', PARITY_KRW * 1.02, { binance: 102_000, okx: 102_000 });
    clock.advance(1);
    market.updateSnapshot(flatBook('binance', 'BTC/USDT', 102_000 / 1.03, clock.now()));
    engine.onSnapshot(flatBook('okx', 'BTC/USDT', 102_000, clock.now()));
    expect(engine.lastDecision('BTC')).toMatchObject({ kind: 'open', route: 'upbit-binance' });
  });

  it('keeps separate balances per USDT venue, per-role defaults with per-exchange overrides', () => {
    const { broker } = multiRoute();
    const balances = broker.balances();
    expect(balances.binance).toMatchObject({ USDT: 100_000, BTC: 1 });
    expect(balances.okx).toMatchObject({ USDT: 50_000, BTC: 0.5 });
    expect(balances.upbit).toMatchObject({ KRW: 100_000_000, BTC: 1 });
  });

  it('does not open on a route whose legs are unusable, and says which route a leg problem is on', () => {
    const { engine, clock, push } = multiRoute();
    push('BTC', PARITY_KRW, { binance: 100_000, okx: 100_000 });
    engine.updateHealth({
      allLive: false,
      instruments: {
        'okx:BTC/USDT': {
          instrument: 'okx:BTC/USDT',
          exchange: 'okx',
          symbol: 'BTC/USDT',
          state: 'resyncing',
          source: 'ws',
          reason: 'gap',
          ageMs: 0,
          lastUpdateAt: clock.now(),
          counters: { updates: 0, resyncs: 1, gaps: 1, invalidMessages: 0 },
        },
      },
    } as never);
    clock.advance(1);
    // OKX is the cheaper route, but its book is resyncing: Binance opens instead.
    const decision = push('BTC', PARITY_KRW * 1.02, { binance: 100_000, okx: 100_000 / 1.01 });
    expect(decision).toMatchObject({ kind: 'open', route: 'upbit-binance' });
  });
});
