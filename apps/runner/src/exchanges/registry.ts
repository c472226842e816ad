import { ConfigError, type ExchangeFactory } from '@arbitrage/core';
import { LEG_ROLES, type LegRole } from '@arbitrage/engine';

export interface ExchangePackage {
  /** npm package that implements the exchange. */
  readonly packageName: string;
  /** Its exported factory: `createUpbitExchange({ restUrl, wsUrl, … })`. */
  readonly factoryExport: string;
}

/**
 * Exchange names that config may choose, and the package each one lives in: the only place in the
 * runner that names exchanges. Adding one is a line here and a dependency in package.json; what the
 * engine needs of it (quote currency, fees, market rules) comes from the plugin's `venue`.
 */
export const EXCHANGE_PACKAGES: Readonly<Record<string, ExchangePackage>> = {
  upbit: { packageName: '@arbitrage/exchange-upbit', factoryExport: 'createUpbitExchange' },
  binance: { packageName: '@arbitrage/exchange-binance', factoryExport: 'createBinanceExchange' },
  okx: { packageName: '@arbitrage/exchange-okx', factoryExport: 'createOkxExchange' },
};

/** The exchange of each leg when the config names none. */
export const DEFAULT_EXCHANGES: Readonly<Record<LegRole, string>> = { krw: 'upbit', usdt: 'binance' };

export type ModuleImporter = (specifier: string) => Promise<unknown>;

const nativeImport: ModuleImporter = (specifier) => import(specifier);

/** The exchanges chosen for each leg, as the config's `exchanges` gives them: one name or a list. */
export type ExchangeChoice = Readonly<Record<LegRole, string | readonly string[]>>;

/** The exchanges of one leg as a list, in the order given. */
export function exchangesOf(choice: ExchangeChoice, role: LegRole): readonly string[] {
  const names = choice[role];
  return typeof names === 'string' ? [names] : names;
}

/** Each chosen exchange once, KRW venues first. */
export function chosenExchanges(choice: ExchangeChoice): string[] {
  return [...new Set(LEG_ROLES.flatMap((role) => exchangesOf(choice, role)))];
}

/** Throws a ConfigError for any name the map does not know (before anything is loaded or started). */
export function checkExchangeNames(
  choice: ExchangeChoice,
  packages: Readonly<Record<string, ExchangePackage>> = EXCHANGE_PACKAGES,
): void {
  for (const role of LEG_ROLES) {
    for (const name of exchangesOf(choice, role)) {
      if (!Object.hasOwn(packages, name)) {
        throw new ConfigError(
          `exchanges.${role}: unknown exchange "${name}"; expected one of ${Object.keys(packages).join(', ')}`,
        );
      }
    }
  }
}

/**
 * Loads the factory of each chosen exchange by dynamic import, so only the packages a config names
 * need to be installed. A package that is not installed is a ConfigError saying which one to
 * install. Keyed by exchange name.
 */
export async function loadExchangeFactories(
  choice: ExchangeChoice,
  options: {
    readonly packages?: Readonly<Record<string, ExchangePackage>>;
    readonly importer?: ModuleImporter;
  } = {},
): Promise<Map<string, ExchangeFactory>> {
  const packages = options.packages ?? EXCHANGE_PACKAGES;
  const importer = options.importer ?? nativeImport;
  checkExchangeNames(choice, packages);
  const factories = new Map<string, ExchangeFactory>();
  for (const name of chosenExchanges(choice)) {
    const entry = packages[name]!;
    let loaded: unknown;
    try {
      loaded = await importer(entry.packageName);
    } catch (error) {
      if (isModuleNotFound(error, entry.packageName)) {
        throw new ConfigError(
          `exchange "${name}" needs the package ${entry.packageName}, which is not installed: run \`pnpm add ${entry.packageName}\``,
          { cause: error },
        );
      }
      throw new ConfigError(`exchange "${name}": loading ${entry.packageName} failed`, { cause: error });
    }
    const factory =
      typeof loaded === 'object' && loaded !== null
        ? (loaded as Record<string, unknown>)[entry.factoryExport]
        : undefined;
    if (typeof factory !== 'function') {
      throw new ConfigError(
        `exchange "${name}": ${entry.packageName} does not export a function ${entry.factoryExport}; is the installed version compatible?`,
      );
    }
    factories.set(name, factory as ExchangeFactory);
  }
  return factories;
}

function isModuleNotFound(error: unknown, packageName: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  const message = (error as { message?: unknown }).message;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    (typeof message !== 'string' || message.includes(packageName))
  );
}
