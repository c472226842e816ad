/** Node's setTimeout limit: a longer delay overflows, fires after 1 ms and warns (TimeoutOverflowWarning). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * setTimeout for any delay: above Node's limit it chains timers of at most MAX_TIMER_DELAY_MS, so a
 * `--duration 1000h` run lasts 1000 h. Returns the function that cancels whichever timer is pending.
 */
export function setLongTimeout(callback: () => void, delayMs: number): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const arm = (remainingMs: number): void => {
    const stepMs = Math.min(remainingMs, MAX_TIMER_DELAY_MS);
    timer = setTimeout(() => {
      if (remainingMs > stepMs) arm(remainingMs - stepMs);
      else callback();
    }, stepMs);
  };
  arm(delayMs);
  return () => clearTimeout(timer);
}
