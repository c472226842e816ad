import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuilt, startCli } from './run-cli.js';

beforeAll(requireBuilt);

const CANARIES = {
  UPBIT_ACCESS_KEY: 'CANARY-upbit-access-5f1e2d3c',
  UPBIT_SECRET_KEY: 'CANARY-upbit-secret-a9b8c7d6',
  BINANCE_API_KEY: 'CANARY-binance-key-1a2b3c4d',
  BINANCE_API_SECRET: 'CANARY-binance-secret-0f9e8d7c',
};

describe('credentials never reach the output', () => {
  it('at debug level, under forced REST and WebSocket errors', async () => {
    const run = startCli(
      [
        'paper',
        '--duration',
        '3s',
        '--json',
        '--log-level',
        'debug',
        '--status-interval',
        '1s',
        '--sim-fault',
        'rest:upbit:500+3s',
        '--sim-fault',
        'rest:binance:500+3s',
        '--sim-fault',
        'drop:binance@1s+3s',
        '--sim-fault',
        'malformed:upbit:invalid-json@1s+3s',
      ],
      CANARIES,
    );
    const result = await run.finished;
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    const output = result.stdout + result.stderr;
    // The faults happened: REST 500s, dropped sockets and malformed frames were logged with their errors.
    expect(result.stderr).toMatch(/"level":(40|50)/);
    expect(result.stderr).toMatch(/500/);
    expect(result.stderr).toMatch(/"stack":/);
    expect(result.stderr).toMatch(/"level":20/);
    // The scrubber knew all four values (the line names the variables, never their values).
    expect(result.stderr).toContain(
      '"variables":["UPBIT_ACCESS_KEY","UPBIT_SECRET_KEY","BINANCE_API_KEY","BINANCE_API_SECRET"]',
    );
    for (const canary of Object.values(CANARIES)) expect(output).not.toContain(canary);
    expect(output).not.toContain('CANARY');
  }, 30_000);
});
