import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { progressLine, startsBuild } from './turbo-progress.mjs';

/**
 * `turbo run build --filter=<pkg>...` with a line on stderr per package that really builds (a fresh
 * clone takes a minute or more), nothing when everything is cached, and nothing at all on stdout.
 * Resolves with turbo's exit code.
 */
export async function buildWithProgress(pkg, write = (text) => process.stderr.write(text)) {
  const startedAt = Date.now();
  let built = 0;
  const turbo = spawn('turbo', ['run', 'build', `--filter=${pkg}`, '--output-logs=new-only'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const show = (raw) => {
    const text = progressLine(raw, Date.now() - startedAt);
    if (text === undefined) return;
    if (startsBuild(raw) && built++ === 0) {
      write(
        `building ${pkg} and the packages it needs (first run: a minute or more; later runs are cached)\n`,
      );
    }
    write(`${text}\n`);
  };
  createInterface({ input: turbo.stdout }).on('line', show);
  createInterface({ input: turbo.stderr }).on('line', show);
  const code = await new Promise((resolve) => {
    turbo.on('error', (error) => {
      write(`cannot start turbo: ${error.message} (run \`pnpm install\` first)\n`);
      resolve(1);
    });
    turbo.on('close', (exitCode, signal) => resolve(exitCode ?? (signal === 'SIGINT' ? 130 : 1)));
  });
  if (code === 0 && built > 0)
    write(`built ${built} package(s) in ${Math.round((Date.now() - startedAt) / 1000)}s\n`);
  return code;
}
