import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { clientEndpoints, type Simulator, startSimulator } from '@arbitrage/simulator';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The root README's consumer example is examples/first-live-book.ts word for word: typechecked with
// this package, and run here (transpiled, in a child process like a user's script) against the
// simulator, with the values `pnpm sim` prints, and against a REST host that answers 404.

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = join(PACKAGE, 'examples', 'first-live-book.ts');
const README = join(PACKAGE, '..', '..', 'README.md');

let sim: Simulator;
let notFound: Server;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 5 });
  notFound = createServer((_request, response) => response.writeHead(404).end('not found'));
  await new Promise<void>((resolve) => notFound.listen(0, '127.0.0.1', resolve));
  // Inside the package, so that the script resolves @arbitrage/* and pino as an installed user's would.
  dir = await mkdtemp(join(PACKAGE, '.example-run-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  notFound.closeAllConnections();
  await new Promise<void>((resolve) => notFound.close(() => resolve()));
  await sim.stop();
});

/** Transpiles the example (optionally edited) and runs it with `env`; never rejects. */
async function runExample(env: Record<string, string>, edit: (source: string) => string = (s) => s) {
  const source = edit(await readFile(EXAMPLE, 'utf8'));
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 },
  });
  const file = join(dir, `example-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`);
  await writeFile(file, outputText);
  return promisify(execFile)(process.execPath, [file], {
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 30_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe('the README consumer example', () => {
  it('is examples/first-live-book.ts, word for word', async () => {
    const readme = await readFile(README, 'utf8');
    const example = await readFile(EXAMPLE, 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toContain(example);
    expect(readme).toContain('packages/provider-ws/examples/first-live-book.ts');
  });

  it('prints the first live book from the simulator, with the values pnpm sim prints', async () => {
    const { restUrl, wsUrl } = clientEndpoints(sim).binance.plugin;
    const run = await runExample({ BINANCE_REST_URL: restUrl, BINANCE_WS_URL: wsUrl, LOG_LEVEL: 'warn' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^BTC\/USDT: best bid \d+(\.\d+)?, best ask \d+(\.\d+)?$/m);
  });

  it('ends with a clear error, the health reason and exit 1 when no book comes in time', async () => {
    const origin = `http://127.0.0.1:${(notFound.address() as AddressInfo).port}`;
    const run = await runExample(
      { BINANCE_REST_URL: origin, BINANCE_WS_URL: sim.binance.wsUrl, LOG_LEVEL: 'info' },
      (source) => source.replace('const TIMEOUT_MS = 10_000;', 'const TIMEOUT_MS = 5_000;'),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: no live binance:BTC\/USDT book within 5000 ms \(\w+: .*404.*\)$/m);
    // The pino logger was passed on: the book's state and why are logged (on stdout, pino's default).
    expect(run.stdout).toMatch(/"reason":"[^"]*HTTP 404[^"]*","msg":"book state"/);
  });
});
