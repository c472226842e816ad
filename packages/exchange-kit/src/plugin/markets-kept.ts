import type { Logger } from '@arbitrage/core';

/** The code of the process warning emitted when no logger was given. */
export const MARKETS_KEPT_WARNING = 'ARBITRAGE_MARKETS_KEPT';

/**
 * Says that an exchange's market list could not be loaded and which markets the plugin keeps
 * instead (`loadMarkets` never throws: a plugin starts from its built-in list or the last one).
 * Through `logger` when the plugin was given one; otherwise as a process warning (printed on stderr
 * by default, `process.on('warning')` to handle it), so a wrong `restUrl` or a 404 never passes silently.
 */
export function warnMarketsKept(
  logger: Logger | undefined,
  what: string,
  error: unknown,
  kept: { readonly count: number; readonly source: string },
): void {
  const message =
    `${what} could not be loaded (${error instanceof Error ? error.message : String(error)}); ` +
    `keeping ${kept.count} ${kept.source} markets`;
  if (logger) logger.warn({ err: error }, message);
  else process.emitWarning(message, { code: MARKETS_KEPT_WARNING });
}
