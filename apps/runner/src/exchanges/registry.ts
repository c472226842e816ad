import { ConfigError, type ExchangeFactory } from '@arbitrage/core';

export interface ExchangePackage {
  /** npm package that implements the exchange. */
  readonly packageName: string;
  /** Its exported factory: `createUpbitExchange({ restUrl, wsUrl, … })`. */
  readonly factoryExport: string;
}

/** Exchange names that config may list, and the package each one lives in. */
export const EXCHANGE_PACKAGES: Readonly<Record<string, ExchangePackage>> = {
  upbit: { packageName: '@arbitrage/exchange-upbit', factoryExport: 'createUpbitExchange' },
  binance: { packageName: '@arbitrage/exchange-binance', factoryExport: 'createBinanceExchange' },
};

export type ModuleImporter = (specifier: string) => Promise<unknown>;

const nativeImport: ModuleImporter = (specifier) => import(specifier);

/** Throws a ConfigError for any name the map does not know (before anything is loaded or started). */
export function checkExchangeNames(
  names: readonly string[],
  packages: Readonly<Record<string, ExchangePackage>> = EXCHANGE_PACKAGES,
): void {
  names.forEach((name, index) => {
    if (!Object.hasOwn(packages, name)) {
      throw new ConfigError(
        `exchanges[${index}]: unknown exchange "${name}"; expected one of ${Object.keys(packages).join(', ')}`,
      );
    }
  });
}

/**
 * Loads each named exchange's factory by dynamic import, so only the packages a config names need
 * to be installed. A package that is not installed is a ConfigError saying which one to install.
 */
export async function loadExchangeFactories(
  names: readonly string[],
  options: {
    readonly packages?: Readonly<Record<string, ExchangePackage>>;
    readonly importer?: ModuleImporter;
  } = {},
): Promise<Map<string, ExchangeFactory>> {
  const packages = options.packages ?? EXCHANGE_PACKAGES;
  const importer = options.importer ?? nativeImport;
  checkExchangeNames(names, packages);
  const factories = new Map<string, ExchangeFactory>();
  for (const name of names) {
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
