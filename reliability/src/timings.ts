/**
 * Test-scale timings from docs/faults.md: heartbeat ping P = 100 ms, dead-after D = 300 ms,
 * per-symbol freshness F = 200 ms, backoff base B = 20 ms, cap C = 500 ms; REST request timeout
 * 200 ms (docs/faults.md 15).
 */
export const TEST_SCALE = { P: 100, D: 300, F: 200, B: 20, C: 500, restTimeoutMs: 200 } as const;

/**
 * What a loaded 2-core machine adds to any real-socket deadline in this suite (timer lateness,
 * concurrent cases, GC). Every recovery bound is asserted as `stated bound + ALLOWANCE_MS`; the
 * table shows the stated bound and the measured time separately.
 */
export const ALLOWANCE_MS = 400;

/** How often the simulated market moves every watched book (ms). */
export const STEP_MS = 20;

/** Levels per side compared with the true book. */
export const CHECK_DEPTH = 20;

/** Polling of the REST provider and of the fail-over provider's REST backup (ms). */
export const POLL_MS = 150;

/** Snapshot-and-bridge tuning at test scale, for every exchange kept by update id. */
const SYNC_TUNING = {
  snapshotBackoff: { baseMs: TEST_SCALE.B, capMs: TEST_SCALE.C },
  maxSnapshotAttempts: 5,
  haltRetryBaseMs: 100,
  haltRetryCapMs: 500,
} as const;

/** Binance stream tuning at test scale (passed as the plugin's stream defaults). */
export const BINANCE_STREAM = {
  staleAfterMs: TEST_SCALE.F,
  snapshotLimit: 100,
  connection: {
    backoff: { baseMs: TEST_SCALE.B, capMs: TEST_SCALE.C },
    minConnectIntervalMs: 0,
    connectTimeoutMs: 300,
    heartbeat: { intervalMs: TEST_SCALE.P, timeoutMs: TEST_SCALE.D },
    // P = 100 ms means 10 pings/s: the simulator's 5 msg/s limit is raised to match (see README).
    maxOutboundPerSecond: 20,
    subscribeIntervalMs: 20,
    ackTimeoutMs: 400,
    subscribeBackoff: { baseMs: 50, capMs: TEST_SCALE.C },
    closeTimeoutMs: 200,
  },
  sync: SYNC_TUNING,
} as const;

/** Upbit stream tuning at test scale. */
export const UPBIT_STREAM = {
  staleAfterMs: TEST_SCALE.F,
  keepalive: { mode: 'ping', intervalMs: TEST_SCALE.P, timeoutMs: TEST_SCALE.D },
  subscribeTimeoutMs: 400,
  minResubscribeIntervalMs: 20,
  maxResubscribeDelayMs: TEST_SCALE.C,
  backoff: { baseMs: TEST_SCALE.B, capMs: TEST_SCALE.C },
  minConnectIntervalMs: 0,
  connectTimeoutMs: 300,
} as const;

/** OKX stream tuning at test scale: ping after P without a frame, drop the link when no pong within D. */
export const OKX_STREAM = {
  staleAfterMs: TEST_SCALE.F,
  snapshotSize: 100,
  keepaliveMs: TEST_SCALE.P,
  pongTimeoutMs: TEST_SCALE.D,
  minConnectIntervalMs: 0,
  connectTimeoutMs: 300,
  subscribeIntervalMs: 20,
  ackTimeoutMs: 400,
  subscribeBackoff: { baseMs: 50, capMs: TEST_SCALE.C },
  reconnectBackoff: { baseMs: TEST_SCALE.B, capMs: TEST_SCALE.C },
  sync: SYNC_TUNING,
} as const;
