import { ConfigError, positiveNumber } from '@arbitrage/core';
import { PREMIUM_DEFAULTS, type PremiumOptions } from './premium-options.js';

export type PremiumPresetName = 'calibrated' | 'demo';

export interface PremiumPreset {
  /** One line for a start-up banner. */
  readonly description: string;
  /** Model ms per wall ms. */
  readonly timeScale: number;
  readonly premium: PremiumOptions;
}

/** Model seconds from the market's start to the demo preset's spike (15 s of wall time at ×60). */
const DEMO_SPIKE_AT_S = 15 * 60;
/** Random spikes start once the demo spike has mostly reverted (45 s of wall time at ×60). */
const DEMO_QUIET_S = 45 * 60;

/**
 * The premium behaviours the simulator ships (docs/protocols/arbitrage.md C3). 'calibrated' runs the
 * published statistics in real time, so a short run mostly sees a flat premium; 'demo' runs the same
 * model 60 times faster with one spike scheduled early, so a 30–60 s run shows a spike and its
 * reversion. Demo PnL is no forecast: it trades an hour of market in a minute.
 */
export const PREMIUM_PRESETS: Readonly<Record<PremiumPresetName, PremiumPreset>> = {
  calibrated: {
    description:
      'premium calibrated to published Upbit statistics: a level near 2 % that drifts over days, ' +
      'about one demand spike every 2 hours',
    timeScale: 1,
    premium: PREMIUM_DEFAULTS,
  },
  demo: {
    description:
      '1 wall minute = 1 market hour; one upward premium spike of 1.5–2 % at 15 s that reverts with ' +
      'a 6 s half-life, random spikes from 45 s; demo PnL is not a forecast',
    timeScale: 60,
    premium: {
      ...PREMIUM_DEFAULTS,
      randomSpikesAfterS: DEMO_QUIET_S,
      scheduledSpikes: [{ atS: DEMO_SPIKE_AT_S, size: 0.015, sizeTo: 0.02 }],
    },
  },
};

export const PREMIUM_PRESET_NAMES = Object.keys(PREMIUM_PRESETS) as PremiumPresetName[];

export interface ResolvedPremiumPreset {
  readonly preset: PremiumPresetName;
  readonly timeScale: number;
  readonly premium: PremiumOptions;
}

/** A preset with explicit options laid over it: `timeScale` and each given premium field win. */
export function resolvePremiumPreset(
  preset: PremiumPresetName | undefined,
  premium: PremiumOptions | undefined,
  timeScale: number | undefined,
): ResolvedPremiumPreset {
  const name = preset ?? 'calibrated';
  if (!Object.hasOwn(PREMIUM_PRESETS, name)) {
    throw new ConfigError(
      `simulator: premiumPreset must be one of ${PREMIUM_PRESET_NAMES.map((n) => `'${n}'`).join(', ')}, got ${String(preset)}`,
    );
  }
  const explicit = Object.fromEntries(
    Object.entries(premium ?? {}).filter(([, value]) => value !== undefined),
  ) as PremiumOptions;
  const base = PREMIUM_PRESETS[name];
  return {
    preset: name,
    timeScale: positiveNumber('simulator', 'timeScale', timeScale, base.timeScale, {
      unit: 'model ms per wall ms',
    }),
    premium: { ...base.premium, ...explicit },
  };
}
