import { spawn } from 'node:child_process';

export interface MicroResult {
  readonly name: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly output: string;
  /** The engine's evaluation p99 (µs) when this is the engine benchmark. */
  readonly engineP99Us?: number;
}

/** The package micro-benchmarks: order book, message parsing, the ws client, engine evaluation. */
export const MICRO_BENCHMARKS: ReadonlyArray<{ name: string; filter: string }> = [
  { name: 'order book: apply, top-N, VWAP (@arbitrage/core)', filter: '@arbitrage/core' },
  {
    name: 'Binance message parsing and apply (@arbitrage/exchange-binance)',
    filter: '@arbitrage/exchange-binance',
  },
  {
    name: 'Upbit message parsing and apply (@arbitrage/exchange-upbit)',
    filter: '@arbitrage/exchange-upbit',
  },
  { name: 'WebSocket client throughput (@arbitrage/ws-client)', filter: '@arbitrage/ws-client' },
  { name: 'engine evaluation per update (@arbitrage/engine)', filter: '@arbitrage/engine' },
];

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes from tool output
const ANSI = /\u001b\[[0-9;]*m/g;

/** Runs one package's `bench` script (one at a time: they would skew each other on 2 cores). */
export function runMicro(name: string, filter: string, cwd: string): Promise<MicroResult> {
  const args = ['--filter', filter, 'run', 'bench'];
  return new Promise((resolve) => {
    const child = spawn('pnpm', args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('close', (exitCode) => {
      const clean = output.replace(ANSI, '');
      const p99 = /evaluations \d+[^\n]*?p99 ([\d.]+) µs/.exec(clean);
      resolve({
        name,
        command: `pnpm ${args.join(' ')}`,
        exitCode,
        output: clean,
        ...(p99 ? { engineP99Us: Number(p99[1]) } : {}),
      });
    });
  });
}
