import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type RunningScript, startNodeScript } from '@arbitrage/test-support';

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export function requireBuilt(): void {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: run \`pnpm turbo run build --filter=@arbitrage/runner\` first`);
  }
}

export type { Finished, RunningScript as Running } from '@arbitrage/test-support';

/** Environment without any runner, live-mode or credential variable from the developer's shell. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(ARB_|ARBITRAGE_|UPBIT_|BINANCE_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Starts `node dist/main.js <args>` (the built CLI) with a clean environment plus `env`. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): RunningScript {
  return startNodeScript(MAIN, args, { env: cleanEnv(env) });
}
