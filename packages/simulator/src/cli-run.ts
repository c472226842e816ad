import { parseArgs } from 'node:util';
import { ConfigError } from '@arbitrage/core';
import { clientEndpoints } from './client-endpoints.js';
import type { SimulatorOptions, UniverseName } from './config.js';
import { FAULT_SYNTAX, parseDuration } from './faults/schedule.js';
import { PREMIUM_PRESET_NAMES, PREMIUM_PRESETS, type PremiumPresetName } from './model/premium-presets.js';
import { type Simulator, startSimulator } from './simulator.js';

export const USAGE = `Usage: sim [options]
Serves Upbit-, Binance- and OKX-compatible market data on loopback until Ctrl-C.

  --seed <n>              random seed (default 1)
  --port-base <n>         Upbit REST, Upbit WS, Binance REST, Binance WS, OKX REST, OKX WS on n..n+5
                          (default: free ports)
  --host <address>        interface to listen on (default 127.0.0.1)
  --assets <list>         e.g. BTC,ETH,XRP (default); also SOL, DOGE. Alias: --markets
  --universe full         the real-size universe: ~250 Upbit KRW, 400 Binance and 250 OKX USDT
                          markets, update rates in tiers (replaces --assets)
  --binance-rate <n>      Binance book updates per second per symbol (default 10)
  --upbit-rate <n>        Upbit book updates per second per market (default 10)
  --depth <n>             Binance levels per side (default 1000)
  --okx-rate <n>          OKX books pushes per second per instrument (default 10)
  --okx-depth <n>         OKX levels per side (default 400)
  --no-okx-snapshot       OKX books: no initial snapshot push (clients must use REST), as OKX
                          announced for production
  --okx-checksum <mode>   OKX books checksum: zero (default, as OKX since June 2026) or crc32
  --preset <name>         premium behaviour: calibrated (default; published statistics, real time)
                          or demo (market time x60, one premium spike at 15 s)
  --time-scale <x>        market (model) time per wall time (default: the preset's, 1 or 60)
  --premium <fraction>    mean Upbit premium level, e.g. 0.02 (default)
  --volatility <x>        multiply every asset's volatility (default 1)
  --ping-interval <dur>   Binance server ping interval (default 20s)
  --pong-timeout <dur>    Binance pong deadline (default 1m)
  --lifetime <dur>        Binance connection lifetime (default 24h)
  --idle-timeout <dur>    Upbit idle timeout (default 2m)
  --paused                start with the market paused (it moves only via the API)
  --fault <spec>          inject a fault, repeatable; syntax:
                            ${FAULT_SYNTAX.split('\n').join('\n                            ')}
  --json                  print the URLs as one JSON line
  --help                  this text`;

export interface CliIo {
  out(line: string): void;
}

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new ConfigError(`--${name} must be a number, got "${value}"`);
  return n;
}

function preset(value: string | undefined): PremiumPresetName | undefined {
  if (value === undefined) return undefined;
  if (!(PREMIUM_PRESET_NAMES as readonly string[]).includes(value)) {
    throw new ConfigError(`--preset must be one of ${PREMIUM_PRESET_NAMES.join(', ')}, got "${value}"`);
  }
  return value as PremiumPresetName;
}

function checksumMode(value: string | undefined): 'zero' | 'crc32' | undefined {
  if (value === undefined || value === 'zero' || value === 'crc32') return value;
  throw new ConfigError(`--okx-checksum must be zero or crc32, got "${value}"`);
}

function universeName(value: string | undefined): UniverseName | undefined {
  if (value === undefined || value === 'default' || value === 'full') return value;
  throw new ConfigError(`--universe must be default or full, got "${value}"`);
}

function duration(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseDuration(value);
}

/** Parses CLI arguments into simulator options (and the --json/--help flags). */
export function parseCli(argv: readonly string[]): {
  options: SimulatorOptions;
  json: boolean;
  help: boolean;
} {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      seed: { type: 'string' },
      'port-base': { type: 'string' },
      host: { type: 'string' },
      assets: { type: 'string' },
      markets: { type: 'string' },
      universe: { type: 'string' },
      'binance-rate': { type: 'string' },
      'upbit-rate': { type: 'string' },
      depth: { type: 'string' },
      'okx-rate': { type: 'string' },
      'okx-depth': { type: 'string' },
      'no-okx-snapshot': { type: 'boolean' },
      'okx-checksum': { type: 'string' },
      preset: { type: 'string' },
      'time-scale': { type: 'string' },
      premium: { type: 'string' },
      volatility: { type: 'string' },
      'ping-interval': { type: 'string' },
      'pong-timeout': { type: 'string' },
      lifetime: { type: 'string' },
      'idle-timeout': { type: 'string' },
      paused: { type: 'boolean' },
      fault: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const assets = (values.assets ?? values.markets)
    ?.split(',')
    .map((asset) => asset.trim())
    .filter(Boolean);
  const premium = number('premium', values.premium);
  const options: SimulatorOptions = {
    seed: number('seed', values.seed),
    portBase: number('port-base', values['port-base']),
    host: values.host,
    assets,
    universe: universeName(values.universe),
    premiumPreset: preset(values.preset),
    timeScale: number('time-scale', values['time-scale']),
    premium: premium === undefined ? undefined : { mean: premium },
    volatilityScale: number('volatility', values.volatility),
    autoStart: !values.paused,
    faultSchedule: values.fault ?? [],
    binance: {
      updatesPerSecond: number('binance-rate', values['binance-rate']),
      depthLevels: number('depth', values.depth),
      pingIntervalMs: duration(values['ping-interval']),
      pongTimeoutMs: duration(values['pong-timeout']),
      connectionLifetimeMs: duration(values.lifetime),
    },
    upbit: {
      updatesPerSecond: number('upbit-rate', values['upbit-rate']),
      idleTimeoutMs: duration(values['idle-timeout']),
    },
    okx: {
      updatesPerSecond: number('okx-rate', values['okx-rate']),
      depthLevels: number('okx-depth', values['okx-depth']),
      snapshotPush: !values['no-okx-snapshot'],
      checksum: checksumMode(values['okx-checksum']),
    },
  };
  return { options, json: values.json ?? false, help: values.help ?? false };
}

/** Starts the simulator from CLI arguments and prints its URLs; undefined after --help. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<Simulator | undefined> {
  const { options, json, help } = parseCli(argv);
  if (help) {
    io.out(USAGE);
    return undefined;
  }
  const sim = await startSimulator(options);
  const { premiumPreset: preset, timeScale } = sim;
  if (json) {
    io.out(
      JSON.stringify({
        seed: sim.seed,
        preset,
        timeScale,
        upbit: sim.upbit,
        binance: sim.binance,
        okx: sim.okx,
        ccxt: mapValues(clientEndpoints(sim), (client) => client.ccxt),
      }),
    );
  } else {
    io.out(`arbitrage simulator, seed ${sim.seed} (Ctrl-C to stop)`);
    const presetScale = PREMIUM_PRESETS[preset].timeScale;
    const scaleNote = timeScale === presetScale ? '' : ` (the preset's is x${presetScale})`;
    io.out(`  premium  ${preset} preset, market time x${timeScale}${scaleNote}`);
    io.out(`           ${PREMIUM_PRESETS[preset].description}`);
    const clients = clientEndpoints(sim);
    io.out('  paste into a client (the plugins add their paths themselves):');
    for (const exchange of ['upbit', 'binance', 'okx'] as const) {
      const { plugin, ccxt } = clients[exchange];
      const note = exchange === 'okx' && options.okx?.snapshotPush === false ? '  (no snapshot push)' : '';
      io.out(`  ${exchange.padEnd(8)} ${FACTORIES[exchange]}(${js(plugin)})${note}`);
      io.out(`           new ccxt.pro.${exchange}(${js(ccxt)})`);
    }
    io.out(marketsLine(sim));
  }
  return sim;
}

const FACTORIES = {
  upbit: 'createUpbitExchange',
  binance: 'createBinanceExchange',
  okx: 'createOkxExchange',
} as const;

/** An object as JavaScript source with single quotes: `{ restUrl: 'http://…', wsUrl: 'ws://…' }`. */
function js(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(js).join(', ')}]`;
  if (typeof value !== 'object' || value === null) return String(value);
  const fields = Object.entries(value).map(([key, field]) => `${key}: ${js(field)}`);
  return `{ ${fields.join(', ')} }`;
}

function mapValues<T, U>(record: Readonly<Record<string, T>>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

/** Lists the markets, or counts them when there are too many to read. */
function marketsLine(sim: Simulator): string {
  const { upbitCodes, binanceSymbols, okxInstIds } = sim.market;
  if (upbitCodes.length + binanceSymbols.length + okxInstIds.length > 30) {
    return `  markets  upbit ${upbitCodes.length}  binance ${binanceSymbols.length}  okx ${okxInstIds.length}`;
  }
  return `  markets  upbit ${upbitCodes.join(' ')}  binance ${binanceSymbols.join(' ')}  okx ${okxInstIds.join(' ')}`;
}
