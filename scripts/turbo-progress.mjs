import { stripVTControlCharacters } from 'node:util';

const TASK_LINE = /^(\S+):build:(?: (.*))?$/;

/**
 * What a person should see of one line of `turbo run build --output-logs=new-only`: one line per
 * package that really builds, and errors; not the banner, the cache hits, pnpm's script echo or the
 * task summary. Returns the text to show, or undefined to hide the line.
 */
export function progressLine(rawLine, elapsedMs) {
  const line = stripVTControlCharacters(rawLine).trimEnd();
  const task = TASK_LINE.exec(line);
  if (!task) return isTurboChrome(line) ? undefined : line;
  const [, pkg, output = ''] = task;
  if (output.startsWith('cache miss, executing')) return `[${Math.round(elapsedMs / 1000)}s] building ${pkg}`;
  if (output.startsWith('cache hit') || output === '' || output.startsWith('> ')) return undefined;
  return line;
}

/** True for the line turbo prints when a package really starts building (not a cache hit). */
export function startsBuild(rawLine) {
  return /^\S+:build: cache miss, executing/.test(stripVTControlCharacters(rawLine));
}

function isTurboChrome(line) {
  return (
    line.trim() === '' || line.trimStart().startsWith('\u2022 ') || /^\s*(Tasks|Cached|Time):/.test(line)
  );
}
