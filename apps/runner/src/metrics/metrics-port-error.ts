import { ArbitrageError } from '@arbitrage/core';

const WHY: Readonly<Record<string, string>> = {
  EADDRINUSE: 'is already in use (another runner, or any other server?)',
  EACCES: 'may not be opened by this user (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'has an address this machine does not have (check runner.metricsHost)',
};

/**
 * The metrics port could not be opened: one line with the port and how to choose another. The listen
 * error is not attached: its stack and "caused by" line would say nothing more to the person reading.
 */
export class MetricsPortError extends ArbitrageError {
  constructor(
    readonly host: string,
    readonly port: number,
    errno: string,
  ) {
    super(
      'METRICS_PORT_UNAVAILABLE',
      `metrics port ${port} on ${host} ${WHY[errno] ?? `could not be opened (${errno})`}: pick another with --metrics-port <port> (or runner.metricsPort in the config, ARB_RUNNER__METRICS_PORT), or 0 for any free port`,
    );
  }

  /** Whether a listen error is one of the port problems this error explains. */
  static explains(error: unknown): error is NodeJS.ErrnoException & { code: string } {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return typeof code === 'string' && code in WHY;
  }
}
