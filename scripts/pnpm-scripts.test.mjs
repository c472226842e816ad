import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `pnpm <args>` from the repository root, in its own process group (as a terminal would run it). */
function startPnpm(args) {
  const child = spawn('pnpm', args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const finished = new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, finished };
}

async function waitFor(read, pattern, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(read())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms; got:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the root pnpm scripts', () => {
  it('`pnpm paper --json` (without -s) puts only the JSON summary on stdout', async () => {
    const result = await startPnpm(['paper', '--json', '--duration', '2s']).finished;
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.stopReason).toBe('duration');
  }, 60_000);

  // Ctrl-C in a terminal sends SIGINT to the whole foreground process group: pnpm, and the program.
  it.each([
    [
      'paper',
      ['paper', '--duration', '60s', '--status-interval', '500ms'],
      'stderr',
      /\[SIMULATED MARKET\] \d+s/,
    ],
    ['sim', ['sim'], 'stdout', /Ctrl-C to stop/],
  ])(
    'Ctrl-C under `pnpm %s` exits 0, without ELIFECYCLE',
    async (_name, args, stream, running) => {
      const run = startPnpm(args);
      await waitFor(stream === 'stdout' ? run.stdout : run.stderr, running, 45_000);
      process.kill(-run.child.pid, 'SIGINT');
      const result = await run.finished;
      expect(result.code, result.stderr.slice(-2_000)).toBe(0);
      expect(`${result.stdout}${result.stderr}`).not.toContain('ELIFECYCLE');
    },
    60_000,
  );
});
