import type { Logger } from '@arbitrage/core';

/**
 * Logs that an exchange's market list could not be loaded and which markets the plugin keeps
 * instead (`loadMarkets` never throws: a plugin starts from its built-in list or the last one).
 */
export function warnMarketsKept(
  logger: Logger,
  what: string,
  error: unknown,
  kept: { readonly count: number; readonly source: string },
): void {
  logger.warn(
    { err: error },
    `${what} could not be loaded (${error instanceof Error ? error.message : String(error)}); ` +
      `keeping ${kept.count} ${kept.source} markets`,
  );
}
