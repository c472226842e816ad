/** What a wait is for, in its timeout message; a function is called only when the wait fails. */
export type WaitDescription = string | (() => string);

export interface WaitOptions {
  /** Fail after this long (default 5,000 ms: a generous bound for a loaded shared machine). */
  readonly timeoutMs?: number;
  /** Poll this often (default 5 ms). */
  readonly intervalMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_INTERVAL_MS = 5;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `condition` until it holds and resolves with the ms it took; rejects with "timed out after
 * N ms waiting for <what>" once `timeoutMs` has passed. Two call shapes, both in use:
 * `waitFor(cond, 'second connection open', { timeoutMs })` and `waitFor(cond, 5_000, describe)`.
 */
export function waitFor(
  condition: () => boolean,
  what: WaitDescription,
  options?: WaitOptions,
): Promise<number>;
export function waitFor(
  condition: () => boolean,
  timeoutMs?: number,
  what?: WaitDescription,
  options?: Pick<WaitOptions, 'intervalMs'>,
): Promise<number>;
export async function waitFor(
  condition: () => boolean,
  timeoutOrWhat: number | WaitDescription = DEFAULT_TIMEOUT_MS,
  whatOrOptions?: WaitDescription | WaitOptions,
  trailing?: Pick<WaitOptions, 'intervalMs'>,
): Promise<number> {
  let what: WaitDescription;
  let options: WaitOptions;
  if (typeof timeoutOrWhat === 'number') {
    what = (whatOrOptions as WaitDescription | undefined) ?? 'condition';
    options = { ...trailing, timeoutMs: timeoutOrWhat };
  } else {
    what = timeoutOrWhat;
    options = (whatOrOptions as WaitOptions | undefined) ?? {};
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    }
    await sleep(intervalMs);
  }
  return Date.now() - start;
}
