import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { step } from './progress.mjs';
import { run } from './run.mjs';

/** What the provider-ws README tells a Binance-only user to install. */
export const CONSUMER_PACKAGES = [
  '@arbitrage/core',
  '@arbitrage/ws-client',
  '@arbitrage/exchange-kit',
  '@arbitrage/provider-ws',
  '@arbitrage/exchange-binance',
];

/**
 * A fresh npm project in `dir` (outside the workspace) with the released packages installed by exact
 * version with plain `npm install` from the registry `env` points at. Checks that npm installed
 * exactly those versions.
 *
 * @param {{ dir: string, env: NodeJS.ProcessEnv, versions: Map<string, string> }} options
 */
export async function installConsumer({ dir, env, versions }) {
  step(`npm init -y in ${dir}`);
  await run('npm', ['init', '-y'], { cwd: dir, env });
  const manifestFile = join(dir, 'package.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  await writeFile(manifestFile, `${JSON.stringify({ ...manifest, type: 'module' }, null, 2)}\n`);

  const specs = CONSUMER_PACKAGES.map((name) => {
    const version = versions.get(name);
    if (!version) throw new Error(`changeset version left no publishable ${name}`);
    return `${name}@${version}`;
  });
  step(`npm install ${specs.join(' ')}`);
  await run('npm', ['install', '--save-exact', ...specs], { cwd: dir, env });

  for (const name of CONSUMER_PACKAGES) {
    const installed = JSON.parse(await readFile(join(dir, 'node_modules', name, 'package.json'), 'utf8'));
    if (installed.version !== versions.get(name)) {
      throw new Error(
        `npm installed ${name}@${installed.version}, changeset version wrote ${versions.get(name)}`,
      );
    }
  }
  step('installed versions match what changeset version wrote');
}

/**
 * Runs the README's stream example in the fresh project against the simulator and checks the book it
 * prints: live, with bids and asks.
 *
 * @param {{ dir: string, env: NodeJS.ProcessEnv, binance: { restUrl: string, wsUrl: string } }} options
 * @returns {Promise<object>} the printed book
 */
export async function streamOneBook({ dir, env, binance }) {
  await copyFile(new URL('./consumer-stream.mjs', import.meta.url), join(dir, 'stream.mjs'));
  step(`node stream.mjs ${binance.restUrl} ${binance.wsUrl}`);
  const stdout = await run('node', ['stream.mjs', binance.restUrl, binance.wsUrl], {
    cwd: dir,
    env,
    timeoutMs: 30_000,
  });
  const book = JSON.parse(stdout.trim().split('\n').at(-1));
  if (book.state !== 'live' || book.levels.bids === 0 || book.levels.asks === 0) {
    throw new Error(`the fresh project printed no live book: ${stdout}`);
  }
  if (!(book.bids[0][0] < book.asks[0][0])) throw new Error(`crossed book: ${stdout}`);
  return book;
}
