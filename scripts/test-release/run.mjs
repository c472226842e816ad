import { spawn } from 'node:child_process';

/** Children still running, so a failure or Ctrl-C can end them (each by its own pid). */
const running = new Set();

/**
 * Runs one command to completion and resolves with its stdout. Output is collected, not shown; on a
 * non-zero exit the error carries the command and the last lines of its output.
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, timeoutMs?: number }} options
 * @returns {Promise<string>}
 */
export function run(command, args, { cwd, env, timeoutMs = 300_000 }) {
  return new Promise((resolve, reject) => {
    // Its own process group, so ending it also ends what it started (pnpm → turbo → tsc).
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => endGroup(child), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) return resolve(stdout);
      const tail = output.trim().split('\n').slice(-40).join('\n');
      const how = signal ? `was ended by ${signal}` : `exited with ${code}`;
      reject(new Error(`\`${command} ${args.join(' ')}\` in ${cwd} ${how}:\n${tail}`));
    });
  });
}

/** Ends every child still running (a failure elsewhere, or Ctrl-C); resolves once they have exited. */
export async function killRunning() {
  const exited = [...running].map((child) => new Promise((resolve) => child.once('close', resolve)));
  for (const child of running) endGroup(child);
  await Promise.all(exited);
}

function endGroup(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
