import {
  type Clock,
  ConfigError,
  type Logger,
  noopLogger,
  positiveNumber,
  systemClock,
} from '@arbitrage/core';
import { type AssetSpec, resolveAssets } from './model/assets.js';
import { type PremiumOptions, resolvePremium } from './model/premium-options.js';
import { type PremiumPresetName, resolvePremiumPreset } from './model/premium-presets.js';
import { fullUniverse } from './model/universe.js';

/** Binance server behaviour. Defaults are the real exchange's (docs/protocols/binance.md B2, B6). */
export interface BinanceOptions {
  /** Book updates per second per symbol (each is one @depth@100ms event at ≤ 10/s). Default 10. */
  readonly updatesPerSecond?: number;
  /** Levels per side of each book. Default 1000. */
  readonly depthLevels?: number;
  /** Server ping frame interval. Default 20 000 ms. */
  readonly pingIntervalMs?: number;
  /** A client that has not answered a ping within this time is disconnected. Default 60 000 ms. */
  readonly pongTimeoutMs?: number;
  /** Connection lifetime. Default 24 h. */
  readonly connectionLifetimeMs?: number;
  /** Send `serverShutdown` this long before the lifetime ends (0 = never). Default 0. */
  readonly shutdownNoticeMs?: number;
  /** Incoming messages (text, ping, pong) allowed per rolling second; more → close 1008. Default 5. */
  readonly maxIncomingPerSecond?: number;
  /** Streams per connection. Default 1024. */
  readonly maxStreamsPerConnection?: number;
  /** New WebSocket connections per IP in any 5 minutes; more → HTTP 429 on the upgrade. Default 300. */
  readonly maxConnectionsPer5Min?: number;
  /** REQUEST_WEIGHT per minute per IP. Default 6000. */
  readonly weightLimitPerMinute?: number;
  /** Requests rejected with 429 within one minute before the IP is banned (418). Default 5. */
  readonly banAfterRejections?: number;
  /** Length of a 418 ban. Default 120 000 ms (Binance's shortest). */
  readonly banMs?: number;
  /**
   * Shape of WebSocket error replies: 'nested' `{"error":{"code","msg"},"id"}` as the live server
   * sends (and ccxt parses), or 'flat' `{"code","msg","id"}` as the docs' table writes. Default 'nested'.
   */
  readonly errorShape?: 'nested' | 'flat';
  /** A connection whose unsent data exceeds this is dropped as a slow consumer. Default 64 MiB. */
  readonly maxBufferedBytes?: number;
}

/** Upbit server behaviour. Defaults are the real exchange's (docs/protocols/upbit.md A6, A7, A8). */
export interface UpbitOptions {
  /** Book updates per second per market (Upbit publishes on a ~100 ms grid). Default 10. */
  readonly updatesPerSecond?: number;
  /** A connection with no frame sent or received for this long is dropped abruptly. Default 120 000 ms. */
  readonly idleTimeoutMs?: number;
  /** Interval of {"status":"UP"} after a text PING. Default 10 000 ms. */
  readonly statusIntervalMs?: number;
  /** Delay between an {"error":…} reply and the close 1000 that follows it. Default 200 ms. */
  readonly errorCloseDelayMs?: number;
  /** REST requests per second per group per IP; more → 429. Default 10. */
  readonly restRequestsPerSecond?: number;
  /**
   * WebSocket connection attempts per second per IP; more → HTTP 429 on the upgrade. Upbit's is 5
   * (docs/protocols/upbit.md A7); default 0 = not enforced, since tests open many sockets at once.
   */
  readonly maxConnectsPerSecond?: number;
  /**
   * Messages (requests and text PINGs) per second per connection; more → an error, then close.
   * Upbit's is 5 (docs/protocols/upbit.md A7); default 0 = not enforced, since tests run keepalives
   * at test scale (a text PING every 100 ms).
   */
  readonly maxMessagesPerSecond?: number;
}

/** OKX server behaviour. Defaults are the real exchange's where docs/protocols/okx.md states them. */
export interface OkxOptions {
  /** `books` pushes per second per instrument (OKX pushes about every 100 ms, E4). Default 10. */
  readonly updatesPerSecond?: number;
  /** Levels per side of each book (`books` holds 400, E1). Default 400. */
  readonly depthLevels?: number;
  /**
   * Send the `snapshot` push when `books` is subscribed (E6: being withdrawn by OKX). Default true;
   * false = clients must build the book from REST.
   */
  readonly snapshotPush?: boolean;
  /** A connection the server has pushed nothing to (data or `pong`) for this long is closed (E8: 30 s). Default 30 000 ms. */
  readonly idleTimeoutMs?: number;
  /**
   * `checksum` on `books` pushes: 'zero' as OKX sends since June 2026 (E5, the default), or 'crc32',
   * the former checksum, for clients that still validate it.
   */
  readonly checksum?: 'zero' | 'crc32';
  /** REST requests per 2 s per endpoint per IP; more → HTTP 429, code 50011 (E2). Default 20. */
  readonly restRequestsPer2s?: number;
  /** A connection whose unsent data exceeds this is dropped as a slow consumer. Default 64 MiB. */
  readonly maxBufferedBytes?: number;
}

export type UniverseName = 'default' | 'full';

export interface SimulatorOptions {
  /** Seed of every random stream. Default 1. */
  readonly seed?: number;
  /** Interface to listen on. Default '127.0.0.1'. */
  readonly host?: string;
  /**
   * First of six consecutive ports: Upbit REST, Upbit WS, Binance REST, Binance WS, OKX REST, OKX WS.
   * Default: 0 (each server gets a free port). `ports` overrides individual ones.
   */
  readonly portBase?: number;
  readonly ports?: {
    readonly upbitRest?: number;
    readonly upbitWs?: number;
    readonly binanceRest?: number;
    readonly binanceWs?: number;
    readonly okxRest?: number;
    readonly okxWs?: number;
  };
  /** Start the real-time ticker at once. Default true; false = books move only on market.step(). */
  readonly autoStart?: boolean;
  /** Asset names (BTC, ETH, XRP, SOL, DOGE) or full specs. Default BTC, ETH, XRP. */
  readonly assets?: ReadonlyArray<string | AssetSpec>;
  /**
   * 'full': the real-size universe instead of `assets` (about 250 Upbit KRW markets, 400 Binance
   * and 250 OKX USDT markets, update rates in tiers; see the README). Default 'default' (`assets`).
   */
  readonly universe?: UniverseName;
  /** Starting USD/KRW rate. Default 1380. */
  readonly usdKrw?: number;
  /**
   * How the Upbit premium behaves: 'calibrated' (published statistics, real time; the default) or
   * 'demo' (the same model at timeScale 60 with a spike at 15 s). See PREMIUM_PRESETS.
   */
  readonly premiumPreset?: PremiumPresetName;
  /** Premium options laid over the preset's (each given field wins). */
  readonly premium?: PremiumOptions;
  /**
   * Model ms per wall ms: the price model advances tickMs × timeScale per tick; books, update rates,
   * faults and timestamps stay in wall time. Default: the preset's (calibrated 1, demo 60).
   */
  readonly timeScale?: number;
  /** Multiplies every asset's volatility. Default 1. */
  readonly volatilityScale?: number;
  /** Send times kept per symbol (a ring, 16 bytes each); 0 disables recording. Default 65 536. */
  readonly sendTimeCapacity?: number;
  /** Fault schedule in CLI syntax (see README), e.g. ['gap:BTCUSDT@10s']. */
  readonly faultSchedule?: readonly string[];
  readonly binance?: BinanceOptions;
  readonly upbit?: UpbitOptions;
  readonly okx?: OkxOptions;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface ResolvedBinance {
  readonly updatesPerSecond: number;
  readonly depthLevels: number;
  readonly pingIntervalMs: number;
  readonly pongTimeoutMs: number;
  readonly connectionLifetimeMs: number;
  readonly shutdownNoticeMs: number;
  readonly maxIncomingPerSecond: number;
  readonly maxStreamsPerConnection: number;
  readonly maxConnectionsPer5Min: number;
  readonly weightLimitPerMinute: number;
  readonly banAfterRejections: number;
  readonly banMs: number;
  readonly errorShape: 'nested' | 'flat';
  readonly maxBufferedBytes: number;
}

export interface ResolvedUpbit {
  readonly updatesPerSecond: number;
  readonly idleTimeoutMs: number;
  readonly statusIntervalMs: number;
  readonly errorCloseDelayMs: number;
  readonly restRequestsPerSecond: number;
  readonly maxConnectsPerSecond: number;
  readonly maxMessagesPerSecond: number;
}

export interface ResolvedOkx {
  readonly updatesPerSecond: number;
  readonly depthLevels: number;
  readonly snapshotPush: boolean;
  readonly idleTimeoutMs: number;
  readonly checksum: 'zero' | 'crc32';
  readonly restRequestsPer2s: number;
  readonly maxBufferedBytes: number;
}

export interface ResolvedConfig {
  readonly seed: number;
  readonly host: string;
  readonly ports: {
    upbitRest: number;
    upbitWs: number;
    binanceRest: number;
    binanceWs: number;
    okxRest: number;
    okxWs: number;
  };
  readonly autoStart: boolean;
  readonly assets: AssetSpec[];
  readonly usdKrw: number | undefined;
  readonly premiumPreset: PremiumPresetName;
  /** The preset's premium options with the explicit ones laid over them. */
  readonly premium: PremiumOptions;
  readonly timeScale: number;
  readonly volatilityScale: number | undefined;
  readonly sendTimeCapacity: number;
  readonly faultSchedule: readonly string[];
  readonly binance: ResolvedBinance;
  readonly upbit: ResolvedUpbit;
  readonly okx: ResolvedOkx;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** A simulator option: a finite number >= `min` (default 1), or the fallback when absent. */
function atLeast(name: string, value: number | undefined, fallback: number, min = 1): number {
  return positiveNumber('simulator', name, value, fallback, { min });
}

function port(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved > 65_535) {
    throw new ConfigError(`${name} must be a port number in [0, 65535], got ${value}`);
  }
  return resolved;
}

/** Fills in defaults and validates; every problem is a ConfigError naming the option. */
export function resolveConfig(options: SimulatorOptions = {}): ResolvedConfig {
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new ConfigError(`seed must be an integer, got ${options.seed}`);
  const base = options.portBase;
  if (base !== undefined && (!Number.isInteger(base) || base < 1 || base > 65_530)) {
    throw new ConfigError(`portBase must be an integer in [1, 65530], got ${base}`);
  }
  const at = (offset: number): number => (base === undefined ? 0 : base + offset);
  const binance = options.binance ?? {};
  const upbit = options.upbit ?? {};
  const okx = options.okx ?? {};
  if (okx.snapshotPush !== undefined && typeof okx.snapshotPush !== 'boolean') {
    throw new ConfigError(`okx.snapshotPush must be true or false, got ${String(okx.snapshotPush)}`);
  }
  const checksum = okx.checksum ?? 'zero';
  if (checksum !== 'zero' && checksum !== 'crc32') {
    throw new ConfigError(`okx.checksum must be 'zero' or 'crc32', got ${String(okx.checksum)}`);
  }
  const errorShape = binance.errorShape ?? 'nested';
  if (errorShape !== 'nested' && errorShape !== 'flat') {
    throw new ConfigError(`binance.errorShape must be 'nested' or 'flat', got ${String(errorShape)}`);
  }
  const premium = resolvePremiumPreset(options.premiumPreset, options.premium, options.timeScale);
  resolvePremium(premium.premium);
  const universe = options.universe ?? 'default';
  if (universe !== 'default' && universe !== 'full') {
    throw new ConfigError(`universe must be 'default' or 'full', got ${String(universe)}`);
  }
  if (universe === 'full' && options.assets !== undefined) {
    throw new ConfigError("universe 'full' lists its own assets: leave assets out");
  }
  const sendTimeCapacity = options.sendTimeCapacity ?? 65_536;
  if (!Number.isInteger(sendTimeCapacity) || sendTimeCapacity < 0) {
    throw new ConfigError(`sendTimeCapacity must be a non-negative integer, got ${sendTimeCapacity}`);
  }
  return {
    seed,
    host: options.host ?? '127.0.0.1',
    ports: {
      upbitRest: port('ports.upbitRest', options.ports?.upbitRest, at(0)),
      upbitWs: port('ports.upbitWs', options.ports?.upbitWs, at(1)),
      binanceRest: port('ports.binanceRest', options.ports?.binanceRest, at(2)),
      binanceWs: port('ports.binanceWs', options.ports?.binanceWs, at(3)),
      okxRest: port('ports.okxRest', options.ports?.okxRest, at(4)),
      okxWs: port('ports.okxWs', options.ports?.okxWs, at(5)),
    },
    autoStart: options.autoStart ?? true,
    assets: resolveAssets(universe === 'full' ? fullUniverse(seed) : options.assets),
    usdKrw: options.usdKrw === undefined ? undefined : atLeast('usdKrw', options.usdKrw, 1380),
    premiumPreset: premium.preset,
    premium: premium.premium,
    timeScale: premium.timeScale,
    volatilityScale:
      options.volatilityScale === undefined
        ? undefined
        : atLeast('volatilityScale', options.volatilityScale, 1, 0),
    sendTimeCapacity,
    faultSchedule: options.faultSchedule ?? [],
    binance: {
      updatesPerSecond: atLeast('binance.updatesPerSecond', binance.updatesPerSecond, 10, 0.001),
      depthLevels: atLeast('binance.depthLevels', binance.depthLevels, 1000, 5),
      pingIntervalMs: atLeast('binance.pingIntervalMs', binance.pingIntervalMs, 20_000),
      pongTimeoutMs: atLeast('binance.pongTimeoutMs', binance.pongTimeoutMs, 60_000),
      connectionLifetimeMs: atLeast('binance.connectionLifetimeMs', binance.connectionLifetimeMs, 86_400_000),
      shutdownNoticeMs: atLeast('binance.shutdownNoticeMs', binance.shutdownNoticeMs, 0, 0),
      maxIncomingPerSecond: atLeast('binance.maxIncomingPerSecond', binance.maxIncomingPerSecond, 5),
      maxStreamsPerConnection: atLeast(
        'binance.maxStreamsPerConnection',
        binance.maxStreamsPerConnection,
        1024,
      ),
      maxConnectionsPer5Min: atLeast('binance.maxConnectionsPer5Min', binance.maxConnectionsPer5Min, 300),
      weightLimitPerMinute: atLeast('binance.weightLimitPerMinute', binance.weightLimitPerMinute, 6000),
      banAfterRejections: atLeast('binance.banAfterRejections', binance.banAfterRejections, 5, 0),
      banMs: atLeast('binance.banMs', binance.banMs, 120_000),
      errorShape,
      maxBufferedBytes: atLeast('binance.maxBufferedBytes', binance.maxBufferedBytes, 64 * 1024 * 1024),
    },
    upbit: {
      updatesPerSecond: atLeast('upbit.updatesPerSecond', upbit.updatesPerSecond, 10, 0.001),
      idleTimeoutMs: atLeast('upbit.idleTimeoutMs', upbit.idleTimeoutMs, 120_000),
      statusIntervalMs: atLeast('upbit.statusIntervalMs', upbit.statusIntervalMs, 10_000),
      errorCloseDelayMs: atLeast('upbit.errorCloseDelayMs', upbit.errorCloseDelayMs, 200, 0),
      restRequestsPerSecond: atLeast('upbit.restRequestsPerSecond', upbit.restRequestsPerSecond, 10),
      maxConnectsPerSecond: atLeast('upbit.maxConnectsPerSecond', upbit.maxConnectsPerSecond, 0, 0),
      maxMessagesPerSecond: atLeast('upbit.maxMessagesPerSecond', upbit.maxMessagesPerSecond, 0, 0),
    },
    okx: {
      updatesPerSecond: atLeast('okx.updatesPerSecond', okx.updatesPerSecond, 10, 0.001),
      depthLevels: atLeast('okx.depthLevels', okx.depthLevels, 400, 5),
      snapshotPush: okx.snapshotPush ?? true,
      idleTimeoutMs: atLeast('okx.idleTimeoutMs', okx.idleTimeoutMs, 30_000),
      checksum,
      restRequestsPer2s: atLeast('okx.restRequestsPer2s', okx.restRequestsPer2s, 20),
      maxBufferedBytes: atLeast('okx.maxBufferedBytes', okx.maxBufferedBytes, 64 * 1024 * 1024),
    },
    clock: options.clock ?? systemClock,
    logger: options.logger ?? noopLogger,
  };
}
