import type { HeartbeatOptions } from './options.js';

/** The timestamps a connection keeps for its heartbeat and data-staleness deadlines. */
export interface LivenessState {
  /** Last inbound frame of any kind: data, heartbeat reply, ping, pong. */
  lastInboundAt: number;
  /** Start of the current staleness window: the last fresh data message, the open, or a new subscription. */
  dataWindowStart: number;
  /** When the oldest unanswered heartbeat was sent; 0 when none is outstanding. */
  heartbeatSentAt: number;
  nextHeartbeatAt: number;
}

export interface LivenessPolicy {
  readonly heartbeat: HeartbeatOptions | undefined;
  /** Undefined when staleness is off or no data is expected right now. */
  readonly staleAfterMs: number | undefined;
}

export type LivenessVerdict = 'ok' | 'send-heartbeat' | 'heartbeat-timeout' | 'stale';

/**
 * Decides what the watchdog does at `now`. A heartbeat counts as answered by any inbound frame
 * after it was sent; our own sends never count. Updates the heartbeat bookkeeping in `state`
 * (answered heartbeats are cleared; a heartbeat about to be sent is recorded).
 */
export function checkLiveness(state: LivenessState, now: number, policy: LivenessPolicy): LivenessVerdict {
  const { heartbeat, staleAfterMs } = policy;
  if (heartbeat && state.heartbeatSentAt > 0) {
    if (state.lastInboundAt >= state.heartbeatSentAt) state.heartbeatSentAt = 0;
    else if (now - state.heartbeatSentAt >= heartbeat.timeoutMs) return 'heartbeat-timeout';
  }
  if (staleAfterMs !== undefined && now - state.dataWindowStart >= staleAfterMs) return 'stale';
  if (heartbeat && now >= state.nextHeartbeatAt) {
    if (state.heartbeatSentAt === 0) state.heartbeatSentAt = now;
    state.nextHeartbeatAt = now + heartbeat.intervalMs;
    return 'send-heartbeat';
  }
  return 'ok';
}

/** When the watchdog must look again: the earliest deadline or heartbeat (Infinity when none). */
export function nextLivenessCheck(state: LivenessState, policy: LivenessPolicy): number {
  let due = Number.POSITIVE_INFINITY;
  const { heartbeat, staleAfterMs } = policy;
  if (heartbeat) {
    due = state.nextHeartbeatAt;
    if (state.heartbeatSentAt > 0) due = Math.min(due, state.heartbeatSentAt + heartbeat.timeoutMs);
  }
  if (staleAfterMs !== undefined) due = Math.min(due, state.dataWindowStart + staleAfterMs);
  return due;
}
