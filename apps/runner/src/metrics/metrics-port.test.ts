import { execFile } from 'node:child_process';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { noopLogger } from '@arbitrage/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handlesAdded, openHandles } from '../test-support/support.js';
import { MetricsPortError } from './metrics-port-error.js';
import { MetricsServer } from './metrics-server.js';
import type { RunnerMetrics } from './runner-metrics.js';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

describe('a metrics port already in use', () => {
  let taken: Server;
  let port: number;

  beforeEach(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => taken.close(() => resolve()));
  });

  it('is a MetricsPortError naming the port and how to pick another, leaving nothing open', async () => {
    const before = openHandles();
    const server = new MetricsServer({} as RunnerMetrics, noopLogger);
    const error = await server.start(port, '127.0.0.1').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MetricsPortError);
    expect((error as Error).message).toBe(
      `metrics port ${port} on 127.0.0.1 is already in use (another runner, or any other server?): pick another with --metrics-port <port> (or runner.metricsPort in the config, ARB_RUNNER__METRICS_PORT), or 0 for any free port`,
    );
    await server.stop();
    // The refused listen handle closes a turn or two after the error.
    for (let turn = 0; turn < 100 && handlesAdded(before, openHandles()).length > 0; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(handlesAdded(before, openHandles())).toEqual([]);
  });

  it('ends the runner with one error line, no stack, exit 1 (the built CLI)', async () => {
    const run = await promisify(execFile)(
      process.execPath,
      [MAIN, 'paper', '--metrics-port', String(port), '--duration', '10s', '--log-level', 'silent'],
      { env: { PATH: process.env.PATH ?? '' } },
    ).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(run.code).toBe(1);
    const errors = run.stderr.split('\n').filter((line) => line.includes('error'));
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error \\[METRICS_PORT_UNAVAILABLE\\]: metrics port ${port} on 127\\.0\\.0\\.1 is already in use`,
        ),
      ),
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });
});
