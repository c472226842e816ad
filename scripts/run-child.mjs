import { spawn } from 'node:child_process';

/**
 * Runs `node <entry> <args>` with this process's stdio and resolves with its exit code.
 *
 * Ctrl-C reaches the whole foreground process group, so the child already has its SIGINT; pnpm
 * forwards a second one to us, which is ignored rather than passed on (a second SIGINT would cut the
 * child's clean shutdown short). SIGTERM and SIGHUP, which reach only us, are passed on.
 */
export function runChild(entry, args) {
  const child = spawn(process.execPath, [entry, ...args], { stdio: 'inherit' });
  const ignore = () => {};
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', ignore);
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      process.off('SIGHUP', forward);
      resolve({ code, signal });
    });
  });
}
