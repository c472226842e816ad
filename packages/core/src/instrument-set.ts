import { AmbiguousSymbolError, ConfigError, UnknownSymbolError } from './errors.js';
import { formatInstrumentId, type InstrumentId, isInstrumentId, parseInstrumentId } from './instrument.js';
import type { ExchangePlugin } from './plugin.js';
import type { ExchangeId } from './types.js';

/** One configured instrument: which plugin carries it and how each side names it. */
export interface ResolvedInstrument {
  readonly id: InstrumentId;
  readonly exchange: ExchangeId;
  readonly plugin: ExchangePlugin;
  /** Canonical BASE/QUOTE. */
  readonly symbol: string;
  readonly nativeSymbol: string;
}

function exchangeList(plugins: readonly ExchangePlugin[]): string {
  return plugins.map((plugin) => plugin.id).join(', ') || '(none)';
}

/** The canonical symbol a plugin knows `symbolOrNative` as; undefined when it does not list it. */
function canonicalOn(plugin: ExchangePlugin, symbolOrNative: string): string | undefined {
  if (!plugin.symbols.has(symbolOrNative)) return undefined;
  try {
    return plugin.symbols.toCanonical(symbolOrNative);
  } catch {
    // Not a native symbol of this plugin, so it is one of its canonical symbols.
    return symbolOrNative;
  }
}

function resolveOn(plugin: ExchangePlugin, symbol: string): ResolvedInstrument {
  const nativeSymbol = plugin.symbols.toNative(symbol);
  return { id: formatInstrumentId(plugin.id, symbol), exchange: plugin.id, plugin, symbol, nativeSymbol };
}

/**
 * Resolves an instrument id ('binance:BTC/USDT'), an exchange-native symbol ('KRW-BTC', 'BTCUSDT') or
 * a canonical symbol ('BTC/KRW') against the markets the plugins know. Throws UnknownSymbolError when
 * no plugin lists it and AmbiguousSymbolError when several do; never guesses.
 */
export function resolveInstrument(plugins: readonly ExchangePlugin[], input: string): ResolvedInstrument {
  if (typeof input !== 'string' || input.length === 0) {
    throw new UnknownSymbolError(
      String(input),
      `${JSON.stringify(input)} is not a symbol; pass an instrument id such as "binance:BTC/USDT" or a native symbol such as "KRW-BTC"`,
    );
  }
  if (isInstrumentId(input)) {
    const parsed = parseInstrumentId(input);
    const plugin = plugins.find((candidate) => candidate.id === parsed.exchange);
    if (plugin === undefined) {
      throw new UnknownSymbolError(
        input,
        `"${input}" names exchange "${parsed.exchange}", which is not configured (configured: ${exchangeList(plugins)}); add its plugin to \`exchanges\``,
      );
    }
    // toNative throws the plugin's own UnknownSymbolError, which names the symbol and gives a hint.
    return resolveOn(plugin, parsed.symbol);
  }
  const matches: ResolvedInstrument[] = [];
  for (const plugin of plugins) {
    const canonical = canonicalOn(plugin, input);
    if (canonical !== undefined) matches.push(resolveOn(plugin, canonical));
  }
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new AmbiguousSymbolError(
      input,
      matches.map((match) => match.id),
    );
  }
  throw new UnknownSymbolError(
    input,
    `"${input}" is not listed by any configured exchange (${exchangeList(plugins)}); pass an instrument id ` +
      'such as "binance:BTC/USDT" or a native symbol such as "KRW-BTC", and load the market lists ' +
      '(plugin.loadMarkets()) before constructing the provider if the market is new',
  );
}

/** Lookup-table entry for a name that more than one configured instrument answers to. */
const AMBIGUOUS = Symbol('ambiguous');

/**
 * The instruments a provider was configured with, resolved once, plus an O(1) lookup by instrument
 * id, native symbol or canonical symbol for `getLatestSnapshot`. Duplicates (the same instrument
 * named twice) are kept once.
 */
export class InstrumentSet {
  readonly instruments: readonly ResolvedInstrument[];
  private readonly byName = new Map<string, ResolvedInstrument | typeof AMBIGUOUS>();
  private readonly byId = new Map<InstrumentId, ResolvedInstrument>();

  constructor(
    private readonly plugins: readonly ExchangePlugin[],
    symbols: readonly string[],
  ) {
    if (!Array.isArray(plugins) || plugins.length === 0) {
      throw new ConfigError('a provider needs at least one exchange plugin in `exchanges`');
    }
    const ids = new Set<ExchangeId>();
    for (const plugin of plugins) {
      if (ids.has(plugin.id)) {
        throw new ConfigError(`exchange "${plugin.id}" is configured twice in \`exchanges\`; pass each once`);
      }
      ids.add(plugin.id);
    }
    if (!Array.isArray(symbols) || symbols.length === 0) {
      throw new ConfigError(
        'a provider needs at least one symbol in `symbols`, e.g. ["upbit:BTC/KRW", "BTCUSDT"]',
      );
    }
    const resolved: ResolvedInstrument[] = [];
    for (const symbol of symbols) {
      const instrument = resolveInstrument(plugins, symbol);
      if (this.byId.has(instrument.id)) continue;
      this.byId.set(instrument.id, instrument);
      resolved.push(instrument);
    }
    this.instruments = resolved;
    for (const instrument of resolved) {
      this.index(instrument.nativeSymbol, instrument);
      this.index(instrument.symbol, instrument);
    }
  }

  /** The configured instrument `input` names. Throws UnknownSymbolError / AmbiguousSymbolError. */
  lookup(input: string): ResolvedInstrument {
    const byId = this.byId.get(input as InstrumentId);
    if (byId !== undefined) return byId;
    const entry = this.byName.get(input);
    if (entry === AMBIGUOUS) {
      const candidates = this.instruments
        .filter((instrument) => instrument.nativeSymbol === input || instrument.symbol === input)
        .map((instrument) => instrument.id);
      throw new AmbiguousSymbolError(input, candidates);
    }
    if (entry !== undefined) return entry;
    throw this.notConfigured(input);
  }

  /** The configured instruments grouped by plugin, in configuration order. */
  byPlugin(): Map<ExchangePlugin, ResolvedInstrument[]> {
    const groups = new Map<ExchangePlugin, ResolvedInstrument[]>();
    for (const instrument of this.instruments) {
      const group = groups.get(instrument.plugin);
      if (group) group.push(instrument);
      else groups.set(instrument.plugin, [instrument]);
    }
    return groups;
  }

  private index(name: string, instrument: ResolvedInstrument): void {
    const existing = this.byName.get(name);
    if (existing === undefined) this.byName.set(name, instrument);
    else if (existing !== instrument) this.byName.set(name, AMBIGUOUS);
  }

  private notConfigured(input: string): UnknownSymbolError {
    const configured = this.instruments.map((instrument) => instrument.id).join(', ');
    let listedAs: string | undefined;
    try {
      listedAs = resolveInstrument(this.plugins, input).id;
    } catch {
      listedAs = undefined;
    }
    const why =
      listedAs === undefined
        ? `"${input}" is not a configured instrument`
        : `"${input}" (${listedAs}) is listed by the exchange but not configured in this provider`;
    return new UnknownSymbolError(input, `${why}; configured: ${configured}; add it to \`symbols\``);
  }
}
