import { z } from 'zod';

const positive = z.number().positive();
const positiveInt = z.number().int().positive();
const fraction = z.number().min(0).lt(0.1);

const assetSchema = z.strictObject({
  asset: z.string().regex(/^[A-Z0-9]+$/, 'expected an upper-case asset symbol such as "BTC"'),
  tradeSize: positive,
});

const engineSchema = z.strictObject({
  entryThreshold: z.number().gt(-1).lt(1),
  exitThreshold: z.number().gt(-1).lt(1),
  maxHoldingMs: positive,
  directions: z
    .array(z.enum(['sell_upbit_buy_binance', 'buy_upbit_sell_binance']))
    .min(1)
    .optional(),
  conversion: z.discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('usdt-book') }),
    z.strictObject({ mode: z.literal('fx'), usdKrw: positive }),
  ]),
  takerFees: z.strictObject({ upbit: fraction, binance: fraction, conversion: fraction }),
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
  latencyMs: z.union([z.number().min(0), z.record(z.string(), z.number().min(0))]),
  initialBalances: z.record(z.string(), z.record(z.string(), z.number().min(0))),
});

const feedsSchema = z.strictObject({
  staleAfterMs: positive,
  failoverAfterMs: positive,
  switchBackAfterMs: positive,
  pollIntervalMs: positive,
  depth: positiveInt,
});

const runnerSchema = z.strictObject({
  statusIntervalMs: z.number().int().min(0),
  tickIntervalMs: positiveInt,
  metricsPort: z.number().int().min(0).max(65_535).optional(),
  metricsHost: z.string().min(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});

const simulatorSchema = z.strictObject({
  seed: z.number().int(),
  faults: z.array(z.string()),
});

/** The whole runner configuration, after defaults, file, environment and flags are merged. */
export const runnerConfigSchema = z.strictObject({
  mode: z.enum(['paper', 'live']),
  market: z.enum(['sim', 'live']),
  source: z.enum(['ws', 'rest', 'failover']),
  exchanges: z.array(z.string().min(1)).min(1),
  assets: z.array(assetSchema).min(1),
  engine: engineSchema,
  limits: limitsSchema,
  paper: paperSchema,
  feeds: feedsSchema,
  runner: runnerSchema,
  simulator: simulatorSchema,
});

export type RunnerConfig = z.infer<typeof runnerConfigSchema>;
export type MarketKind = RunnerConfig['market'];
export type SourceKind = RunnerConfig['source'];
