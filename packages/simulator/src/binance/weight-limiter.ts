import type { ResolvedBinance } from '../config.js';

interface IpState {
  window: number;
  used: number;
  rejections: number;
  bannedUntil: number;
}

export type WeightVerdict =
  | { readonly allowed: true; readonly used: number }
  | {
      readonly allowed: false;
      readonly status: 429 | 418;
      readonly retryAfterS: number;
      readonly used: number;
      readonly msg: string;
    };

/**
 * Binance REQUEST_WEIGHT accounting per IP in fixed one-minute windows: over the limit → 429 with
 * Retry-After until the minute ends; too many 429s in a minute → an IP ban answered with 418 and
 * Retry-After until the ban ends.
 */
export class WeightLimiter {
  private readonly ips = new Map<string, IpState>();

  constructor(private readonly config: ResolvedBinance) {}

  charge(ip: string, weight: number, now: number): WeightVerdict {
    const window = Math.floor(now / 60_000);
    let state = this.ips.get(ip);
    if (!state) {
      state = { window, used: 0, rejections: 0, bannedUntil: 0 };
      this.ips.set(ip, state);
    }
    if (state.window !== window) {
      state.window = window;
      state.used = 0;
      state.rejections = 0;
    }
    if (now < state.bannedUntil) return this.banned(state, now);
    const limit = this.config.weightLimitPerMinute;
    if (state.used + weight > limit) {
      state.rejections++;
      if (state.rejections > this.config.banAfterRejections) {
        state.bannedUntil = now + this.config.banMs;
        return this.banned(state, now);
      }
      return {
        allowed: false,
        status: 429,
        retryAfterS: Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000)),
        used: state.used,
        msg: `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
      };
    }
    state.used += weight;
    return { allowed: true, used: state.used };
  }

  /** Weight used in the current minute by `ip`. */
  used(ip: string, now: number): number {
    const state = this.ips.get(ip);
    return state && state.window === Math.floor(now / 60_000) ? state.used : 0;
  }

  private banned(state: IpState, now: number): WeightVerdict {
    return {
      allowed: false,
      status: 418,
      retryAfterS: Math.max(1, Math.ceil((state.bannedUntil - now) / 1000)),
      used: state.used,
      msg: `Way too much request weight used; IP banned until ${state.bannedUntil}. Please use WebSocket Streams for live updates to avoid bans.`,
    };
  }
}
