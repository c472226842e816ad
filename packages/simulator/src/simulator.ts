import { BinanceRest } from './binance/rest.js';
import { BinanceWsServer } from './binance/ws-server.js';
import { resolveConfig, type SimulatorOptions } from './config.js';
import { type FaultHost, Faults } from './faults/faults.js';
import { RefuseState, RestFaultRules } from './faults/rest-faults.js';
import { parseFaultSpec, scheduleFaults } from './faults/schedule.js';
import { type ExchangeName, Market } from './model/market.js';
import type { PremiumPresetName } from './model/premium-presets.js';
import { OkxRest } from './okx/rest.js';
import { OkxWsServer } from './okx/ws-server.js';
import type { LimitName } from './server/limit-hits.js';
import { TrackedServer } from './server/tracked-server.js';
import { ConnectionIds } from './server/upgrade.js';
import { TimerGroup } from './timers.js';
import { UpbitRest } from './upbit/rest.js';
import { UpbitWsServer } from './upbit/ws-server.js';

/**
 * Base URLs of one simulated exchange (no path: clients append /api/v3, /ws, /v1, /websocket/v1,
 * /api/v5/..., /ws/v5/public).
 */
export interface ExchangeEndpoints {
  /** e.g. http://127.0.0.1:41234 */
  readonly restUrl: string;
  /** e.g. ws://127.0.0.1:41235 */
  readonly wsUrl: string;
}

/** An open WebSocket connection as the simulator sees it. */
export interface ConnectionInfo {
  readonly id: number;
  readonly exchange: ExchangeName;
  readonly openedAt: number;
  /**
   * Binance: the streams it holds; Upbit: the codes it is subscribed to (any type); OKX: its
   * subscriptions as `<channel>:<instId>` ('books:BTC-USDT').
   */
  readonly subscriptions: readonly string[];
  /** Binance only: whether events come wrapped as {stream, data}. */
  readonly combined?: boolean;
}

export interface Simulator {
  readonly upbit: ExchangeEndpoints;
  readonly binance: ExchangeEndpoints;
  /** REST `${restUrl}/api/v5/...`, WebSocket `${wsUrl}/ws/v5/public`. */
  readonly okx: ExchangeEndpoints;
  readonly faults: Faults;
  readonly market: Market;
  readonly seed: number;
  /** The premium preset in use (see PREMIUM_PRESETS). */
  readonly premiumPreset: PremiumPresetName;
  /** Model ms per wall ms. */
  readonly timeScale: number;
  /** Open WebSocket connections (of one exchange, or all). */
  connections(exchange?: ExchangeName): ConnectionInfo[];
  /**
   * The documented exchange limits clients ran into so far (connections, messages, streams, REST
   * weight and rates), with counts: empty while every client stayed within them.
   */
  limitHits(): Partial<Record<LimitName, number>>;
  /** Closes every server and socket and clears every timer; resolves when the ports are free. */
  stop(): Promise<void>;
}

/**
 * Starts Upbit-, Binance- and OKX-compatible servers on loopback (six ports: REST and WS of each)
 * around one simulated market.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const config = resolveConfig(options);
  const schedule = config.faultSchedule.map(parseFaultSpec);
  const { clock, logger } = config;
  const market = new Market({
    seed: config.seed,
    assets: config.assets,
    usdKrw: config.usdKrw,
    premiumPreset: config.premiumPreset,
    premium: config.premium,
    timeScale: config.timeScale,
    volatilityScale: config.volatilityScale,
    binanceUpdatesPerSecond: config.binance.updatesPerSecond,
    binanceDepth: config.binance.depthLevels,
    upbitUpdatesPerSecond: config.upbit.updatesPerSecond,
    okxUpdatesPerSecond: config.okx.updatesPerSecond,
    okxDepth: config.okx.depthLevels,
    sendTimeCapacity: config.sendTimeCapacity,
    clock,
  });
  const timers = new TimerGroup(clock);
  const ids = new ConnectionIds();
  const refuse = { upbit: new RefuseState(), binance: new RefuseState(), okx: new RefuseState() };
  const restRules = {
    upbit: new RestFaultRules(),
    binance: new RestFaultRules(),
    okx: new RestFaultRules(),
  };
  const binanceWs = new BinanceWsServer(market, config.binance, clock, refuse.binance, ids);
  const upbitWs = new UpbitWsServer(market, config.upbit, clock, refuse.upbit, ids);
  const binanceRest = new TrackedServer(
    new BinanceRest(market, config.binance, clock, restRules.binance, timers).handle,
  );
  const upbitRest = new TrackedServer(
    new UpbitRest(market, config.upbit, clock, restRules.upbit, timers).handle,
  );
  const okxWs = new OkxWsServer(market, config.okx, clock, refuse.okx, ids);
  const okxRest = new TrackedServer(new OkxRest(market, config.okx, clock, restRules.okx, timers).handle);
  for (const [server, exchange] of [
    [binanceRest, 'binance'],
    [upbitRest, 'upbit'],
    [okxRest, 'okx'],
  ] as const) {
    server.refuse = () => refuse[exchange].active(clock.now()) && refuse[exchange].includeRest;
  }
  const servers = [upbitRest, upbitWs, binanceRest, binanceWs, okxRest, okxWs];

  let ports: number[];
  try {
    const { host } = config;
    ports = [
      await upbitRest.listen(host, config.ports.upbitRest),
      await upbitWs.listen(host, config.ports.upbitWs),
      await binanceRest.listen(host, config.ports.binanceRest),
      await binanceWs.listen(host, config.ports.binanceWs),
      await okxRest.listen(host, config.ports.okxRest),
      await okxWs.listen(host, config.ports.okxWs),
    ];
  } catch (error) {
    market.stop();
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = (scheme: string, port: number | undefined): string => `${scheme}://${hostForUrl}:${port}`;

  const host: FaultHost = {
    market,
    clock,
    timers,
    binanceConnections: () => binanceWs.list(),
    upbitConnections: () => upbitWs.list(),
    okxConnections: () => okxWs.list(),
    refuse: (exchange) => refuse[exchange],
    restRules: (exchange) => restRules[exchange],
  };
  const faults = new Faults(host);
  scheduleFaults(faults, schedule, timers, (spec, error) =>
    logger.warn(
      { spec, err: error instanceof Error ? error.message : String(error) },
      'scheduled fault failed',
    ),
  );
  if (config.autoStart) market.resume();
  logger.info(
    { seed: config.seed, ports, premiumPreset: config.premiumPreset, timeScale: config.timeScale },
    'simulator started',
  );

  let stopping: Promise<void> | undefined;
  return {
    upbit: { restUrl: url('http', ports[0]), wsUrl: url('ws', ports[1]) },
    binance: { restUrl: url('http', ports[2]), wsUrl: url('ws', ports[3]) },
    okx: { restUrl: url('http', ports[4]), wsUrl: url('ws', ports[5]) },
    faults,
    market,
    seed: config.seed,
    premiumPreset: config.premiumPreset,
    timeScale: config.timeScale,
    limitHits() {
      return market.limitHits.snapshot();
    },
    connections(exchange) {
      const out: ConnectionInfo[] = [];
      if (exchange === undefined || exchange === 'binance') {
        for (const connection of binanceWs.list()) {
          out.push({
            id: connection.id,
            exchange: 'binance',
            openedAt: connection.openedAt,
            subscriptions: [...connection.streams.keys()],
            combined: connection.combined,
          });
        }
      }
      if (exchange === undefined || exchange === 'upbit') {
        for (const connection of upbitWs.list()) {
          const subscription = connection.subscription;
          const codes = new Set<string>([
            ...(subscription?.orderbook.keys() ?? []),
            ...(subscription?.ticker ?? []),
            ...(subscription?.trade ?? []),
          ]);
          out.push({
            id: connection.id,
            exchange: 'upbit',
            openedAt: connection.openedAt,
            subscriptions: [...codes],
          });
        }
      }
      if (exchange === undefined || exchange === 'okx') {
        for (const connection of okxWs.list()) {
          out.push({
            id: connection.id,
            exchange: 'okx',
            openedAt: connection.openedAt,
            subscriptions: [...connection.subscriptions.keys()],
          });
        }
      }
      return out;
    },
    stop() {
      stopping ??= (async () => {
        market.stop();
        timers.clear();
        faults.clear();
        await Promise.all(servers.map((server) => server.close()));
        logger.info({}, 'simulator stopped');
      })();
      return stopping;
    },
  };
}
