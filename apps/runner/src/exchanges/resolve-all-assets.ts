import { ConfigError, type ExchangePlugin, type MarketInfo } from '@arbitrage/core';
import { assetsListedOnBothLegs, checkEngineConfig, riskLimitProblems } from '@arbitrage/engine';
import type { AssetConfig, ResolvedRunnerConfig, RunnerConfig } from '../config/schema.js';
import type { ExchangeLegs } from './open-exchanges.js';

type Limits = RunnerConfig['limits'];
type Balances = RunnerConfig['paper']['initialBalances'];

/** Positions and paper inventory default to this many trades of each asset. */
const TRADES_OF_INVENTORY = 2;

/**
 * Levels per side the streams keep when scanning everything and none is configured: enough for a
 * trade of tradeNotionalUsd, and Binance then snapshots 100 levels (weight 5) instead of 1000
 * (weight 50), so 200+ Binance books are live in seconds rather than minutes
 * (packages/exchange-binance README, "Start-up cost").
 */
const SCAN_STREAM_DEPTH = 20;

/**
 * `assets: all` made concrete once the venues' market lists are loaded: every asset listed on both
 * legs, each sized at `tradeNotionalUsd` from its price at start (the first KRW venue's mid over its
 * USDT/KRW mid: one batched request), with position limits and paper balances defaulting to two
 * trades where the configuration names none. A list already given is returned as it is.
 */
export async function resolveAllAssets(
  config: RunnerConfig,
  legs: ExchangeLegs,
): Promise<ResolvedRunnerConfig> {
  if (config.assets !== 'all') return { ...config, assets: config.assets };
  const listed = assetsListedOnBothLegs(legs.krw.map(marketsOf), legs.usdt.map(marketsOf));
  if (listed.length === 0) throw new ConfigError('assets: all found no asset listed on both legs');
  const usdPrices = await usdPricesOf(legs.krw[0]!, listed);
  const assets: AssetConfig[] = [];
  for (const asset of listed) {
    const price = usdPrices.get(asset);
    if (price !== undefined) assets.push({ asset, tradeSize: roundSize(config.tradeNotionalUsd / price) });
  }
  if (assets.length === 0) throw new ConfigError('assets: all could not price any listed asset at start');
  const resolved: ResolvedRunnerConfig = {
    ...config,
    assets,
    limits: { ...config.limits, maxPositionPerAsset: positionLimits(config.limits, assets) },
    paper: { ...config.paper, initialBalances: balances(config.paper.initialBalances, assets) },
    feeds: { ...config.feeds, streamDepth: config.feeds.streamDepth ?? SCAN_STREAM_DEPTH },
  };
  checkEngineConfig({ ...resolved.engine, assets });
  const problems = riskLimitProblems(
    resolved.limits,
    assets.map((entry) => entry.asset),
  );
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return resolved;
}

function marketsOf(plugin: ExchangePlugin): MarketInfo[] {
  return [...plugin.symbols.markets()];
}

/** USD mid of each asset: its KRW mid over USDT/KRW's, from one snapshot of the KRW venue. */
async function usdPricesOf(
  krwVenue: ExchangePlugin,
  assets: readonly string[],
): Promise<Map<string, number>> {
  const books = await krwVenue
    .rest()
    .fetchOrderBooks([...assets.map((asset) => `${asset}/KRW`), 'USDT/KRW'], {
      depth: 1,
    });
  const mids = new Map<string, number>();
  for (const book of books) {
    const bid = book.bids[0]?.[0];
    const ask = book.asks[0]?.[0];
    if (bid !== undefined && ask !== undefined && bid > 0 && ask > 0) mids.set(book.symbol, (bid + ask) / 2);
  }
  const usdtKrw = mids.get('USDT/KRW');
  if (usdtKrw === undefined)
    throw new ConfigError(`assets: all needs ${krwVenue.id}'s USDT/KRW book to price assets`);
  const prices = new Map<string, number>();
  for (const asset of assets) {
    const krw = mids.get(`${asset}/KRW`);
    if (krw !== undefined) prices.set(asset, krw / usdtKrw);
  }
  return prices;
}

/** Four significant digits: a size a person can read in the summary. */
function roundSize(size: number): number {
  return Number(size.toPrecision(4));
}

function positionLimits(limits: Limits, assets: readonly AssetConfig[]): Limits['maxPositionPerAsset'] {
  const given = limits.maxPositionPerAsset;
  if (typeof given === 'number') return given;
  return Object.fromEntries(
    assets.map(({ asset, tradeSize }) => [asset, given[asset] ?? TRADES_OF_INVENTORY * tradeSize]),
  );
}

function balances(given: Balances, assets: readonly AssetConfig[]): Balances {
  const withAssets = (leg: Record<string, number> | undefined): Record<string, number> => {
    const out = { ...leg };
    for (const { asset, tradeSize } of assets) out[asset] ??= TRADES_OF_INVENTORY * tradeSize;
    return out;
  };
  return { ...given, krw: withAssets(given.krw), usdt: withAssets(given.usdt) };
}
