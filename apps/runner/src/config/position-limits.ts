import type { AssetConfig, RunnerConfig } from './schema.js';

/** `assets: all` gives an asset without a cap this many of its trades (resolve-all-assets.ts). */
export const DEFAULT_POSITION_TRADES = 2;

/**
 * The refusal for assets whose position cap is missing from a per-asset `limits.maxPositionPerAsset`:
 * what the cap is, which assets lack one, and the YAML lines that add them (two trades' worth each,
 * what `assets: all` would use). Undefined when every asset has a cap.
 */
export function missingPositionLimits(
  config: RunnerConfig & { readonly assets: readonly AssetConfig[] },
  configFile: string | undefined,
): string | undefined {
  const caps = config.limits.maxPositionPerAsset;
  if (typeof caps === 'number') return undefined;
  const missing = config.assets.filter(({ asset }) => caps[asset] === undefined);
  if (missing.length === 0) return undefined;
  const names = missing.map(({ asset }) => asset).join(', ');
  const known = Object.keys(caps);
  const lines = missing.map(
    ({ asset, tradeSize }) => `      ${asset}: ${round(DEFAULT_POSITION_TRADES * tradeSize)}`,
  );
  const file = configFile === undefined ? 'a config file (--config file.yaml)' : `config file ${configFile}`;
  return [
    `limits.maxPositionPerAsset has no cap for ${names}: it caps how much of each asset open pairs may hold` +
      ` (base units), and names ${known.length > 0 ? known.join(', ') : 'no asset'} only.`,
    `Add ${missing.length === 1 ? 'a line' : 'a line per asset'} to ${file}, e.g. ${DEFAULT_POSITION_TRADES} trades' worth:`,
    '  limits:',
    '    maxPositionPerAsset:',
    ...lines,
    'A single number instead (limits: { maxPositionPerAsset: N }, or ARB_LIMITS__MAX_POSITION_PER_ASSET=N) caps every asset at N of its own units.',
    `With assets: all, an asset without a cap gets ${DEFAULT_POSITION_TRADES} trades' worth by itself.`,
  ].join('\n');
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}
