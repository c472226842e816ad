import { z } from 'zod';

const positive = z.number().positive();
const positiveInt = z.number().int().positive();
const fraction = z.number().min(0).lt(0.1);

const assetSchema = z.strictObject({
  asset: z.string().regex(/^[A-Z0-9]+$/, 'expected an upper-case asset symbol such as "BTC"'),
  tradeSize: positive,
});

/**
 * One value per leg role, for every venue of that role, and per exchange where one differs:
 * `{ krw: …, usdt: …, exchanges: { okx: … } }` (any may be left out).
 */
const perLeg = <T extends z.ZodType>(value: T) =>
  z.strictObject({
    krw: value.optional(),
    usdt: value.optional(),
    exchanges: z.record(z.string(), value).optional(),
  });

/** An exchange name, or a list of them (each once). */
const exchangeList = z.union([
  z.string().min(1),
  z
    .array(z.string().min(1))
    .min(1)
    .refine((names) => new Set(names).size === names.length, 'an exchange is listed twice'),
]);

const baselineSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('rolling'),
    statistic: z.enum(['median', 'mean']).optional(),
    windowMs: positive,
    warmupMs: z.number().min(0),
  }),
  z.strictObject({ mode: z.literal('fixed'), premium: z.number().gt(-0.5).lt(1) }),
]);

const engineSchema = z.strictObject({
  entry: z.strictObject({ minExpectedProfit: fraction }),
  exit: z.strictObject({
    convergenceBand: fraction,
    stopLoss: z.number().positive().lt(1),
    maxHoldingMs: positive,
  }),
  baseline: baselineSchema,
  directions: z
    .array(z.enum(['sell_krw_buy_usdt', 'buy_krw_sell_usdt']))
    .min(1)
    .optional(),
  conversion: z.discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('usdt-book') }),
    z.strictObject({ mode: z.literal('fx'), usdKrw: positive }),
  ]),
  /** Overrides of the venues' own taker fees; `conversion` is 0 unless the USDT/KRW leg is traded. */
  takerFees: z.strictObject({ krw: fraction.optional(), usdt: fraction.optional(), conversion: fraction }),
});

const limitsSchema = z.strictObject({
  maxNotionalUsd: positive,
  maxOpenTrades: positiveInt,
  maxPositionPerAsset: z.union([positive, z.record(z.string(), positive)]),
  maxBookAgeMs: positive,
  maxOrdersPerSecond: positiveInt,
  dailyLossLimitUsd: positive,
});

const paperSchema = z.strictObject({
  latencyMs: z.union([z.number().min(0), perLeg(z.number().min(0))]),
  initialBalances: perLeg(z.record(z.string(), z.number().min(0))),
});

const feedsSchema = z.strictObject({
  staleAfterMs: positive,
  failoverAfterMs: positive,
  switchBackAfterMs: positive,
  pollIntervalMs: positive,
  depth: positiveInt,
  /**
   * Levels per side each exchange stream keeps (default: each exchange's own; 20 with `assets: all`,
   * where Binance's 1000-level snapshots would take minutes of request weight for every book).
   */
  streamDepth: positiveInt.optional(),
  /** NATS server of a feed (`pnpm feed`), for `source: nats`: nats://host:port. */
  natsUrl: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s]+$/, { error: 'expected a NATS URL such as nats://127.0.0.1:4222' })
    .optional(),
});

const runnerSchema = z.strictObject({
  statusIntervalMs: z.number().int().min(0),
  tickIntervalMs: positiveInt,
  metricsPort: z.number().int().min(0).max(65_535).optional(),
  metricsHost: z.string().min(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});

const simulatorSchema = z.strictObject({
  /** 'demo' compresses market time so a short run sees a premium spike; 'calibrated' runs it in real time. */
  preset: z.enum(['demo', 'calibrated']),
  seed: z.number().int(),
  faults: z.array(z.string()),
});

/** The whole runner configuration, after defaults, file, environment and flags are merged. */
export const runnerConfigSchema = z.strictObject({
  mode: z.enum(['paper', 'live']),
  market: z.enum(['sim', 'live']),
  source: z.enum(['ws', 'rest', 'failover', 'nats']),
  /**
   * The exchanges of each leg, by registry name: the KRW venue(s) and the USDT venue(s), one name or
   * a list. Every KRW venue is traded against every USDT venue.
   */
  exchanges: z.strictObject(
    { krw: exchangeList, usdt: exchangeList },
    { error: 'expected the exchanges of each leg, e.g. { krw: upbit, usdt: [binance, okx] }' },
  ),
  /**
   * The assets to trade, each with its size; or `all`: every asset listed on both legs, found once
   * the exchanges' market lists are loaded, each sized at `tradeNotionalUsd`.
   */
  assets: z.union([z.literal('all'), z.array(assetSchema).min(1)], {
    error: 'expected all, or a list of { asset, tradeSize }',
  }),
  /** With `assets: all`: the USD value of each asset's trade size, from its price at start. */
  tradeNotionalUsd: positive,
  engine: engineSchema,
  limits: limitsSchema,
  paper: paperSchema,
  feeds: feedsSchema,
  runner: runnerSchema,
  simulator: simulatorSchema,
});

export type RunnerConfig = z.infer<typeof runnerConfigSchema>;
export type AssetConfig = z.infer<typeof assetSchema>;
/** A configuration whose asset list is known: `assets: all` resolved against the venues' listings. */
export type ResolvedRunnerConfig = RunnerConfig & { readonly assets: AssetConfig[] };
export type MarketKind = RunnerConfig['market'];
export type SourceKind = RunnerConfig['source'];
