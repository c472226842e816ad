import type { Logger } from '@arbitrage/core';

/** How long a run waits for its feeds before it goes on without them. */
export const PROVIDER_START_WAIT_MS = 5_000;

/**
 * Starts the provider, waiting at most `waitMs` for it. A WebSocket provider's start resolves only
 * once every connection is open, which without a network is never: the run must still end on time,
 * so after the wait it goes on (the engine trades only on live books) and the start keeps going in
 * the background. A start that fails within the wait fails the run; one that fails later is logged.
 */
export async function startProvider(
  provider: { start(): Promise<void> },
  logger: Logger,
  waitMs = PROVIDER_START_WAIT_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const started = provider.start();
  const waited = new Promise<'waiting'>((resolve) => {
    timer = setTimeout(() => resolve('waiting'), waitMs);
  });
  try {
    const outcome = await Promise.race([started.then(() => 'started' as const), waited]);
    if (outcome === 'waiting') {
      logger.warn(
        { waitedMs: waitMs },
        'market data is still connecting; the run goes on and trades only on live books (check the network or the endpoints)',
      );
      started.catch((error: unknown) => logger.error({ err: error }, 'market data did not start'));
    }
  } finally {
    clearTimeout(timer);
  }
}
