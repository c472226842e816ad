const started = performance.now();

/** Seconds since the release test started, one decimal. */
export function elapsed() {
  return `${((performance.now() - started) / 1000).toFixed(1)} s`;
}

/** One progress line on stderr, so stdout carries only the book the fresh project printed. */
export function step(message) {
  process.stderr.write(`[test:release ${elapsed().padStart(7)}] ${message}\n`);
}
