import { ConfigError, ManualClock } from '@arbitrage/core';
import { describe, expect, it } from 'vitest';
import { PREMIUM_PRESETS } from '../src/index.js';
import { resolveAssets } from '../src/model/assets.js';
import { Market, type MarketOptions } from '../src/model/market.js';
import { PremiumModel } from '../src/model/premium-model.js';
import { type PremiumOptions, resolvePremium } from '../src/model/premium-options.js';
import { simulator } from './helpers.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Only the component under test moves. */
/** No noise, no random spikes, and spikes that arrive whole: only what a test schedules moves. */
const SILENT: PremiumOptions = {
  sd: 0,
  intradaySd: 0,
  assetSd: 0,
  usdtSd: 0,
  spikesPerHour: 0,
  spikeRiseHalfLifeS: 0,
};

function market(overrides: Partial<MarketOptions> = {}): Market {
  return new Market({
    seed: 7,
    assets: resolveAssets(['BTC', 'ETH']),
    binanceUpdatesPerSecond: 10,
    binanceDepth: 20,
    upbitUpdatesPerSecond: 10,
    sendTimeCapacity: 0,
    clock: new ManualClock(),
    ...overrides,
  });
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('calibrated premium (docs/protocols/arbitrage.md C3)', () => {
  it('keeps the slow level mostly within [-1 %, 5 %] around a 2 % mean over model years', () => {
    const levels: number[] = [];
    const usdt: number[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const model = new PremiumModel(seed, ['BTC']);
      for (let t = 0; t < 360 * DAY_MS; t += 10 * MINUTE_MS) {
        model.advance(10 * MINUTE_MS);
        levels.push(model.levelValue);
        usdt.push(model.usdt);
      }
    }
    const inside = levels.filter((value) => value >= -0.01 && value <= 0.05).length / levels.length;
    expect(inside).toBeGreaterThan(0.9);
    expect(inside).toBeLessThan(1);
    expect(Math.abs(mean(levels) - 0.02)).toBeLessThan(0.006);
    const levelMean = mean(levels);
    const sd = Math.sqrt(mean(levels.map((value) => (value - levelMean) ** 2)));
    expect(sd).toBeGreaterThan(0.01);
    expect(sd).toBeLessThan(0.02);
    // The tether premium carries most of the level: the premium over the USDT book sits near 0.4 %.
    expect(correlation(levels, usdt)).toBeGreaterThan(0.9);
    expect(Math.abs(mean(usdt) - 0.016)).toBeLessThan(0.005);
  });

  it('moves the level over days, not minutes', () => {
    const model = new PremiumModel(3, ['BTC']);
    const start = model.levelValue;
    for (let i = 0; i < 60; i++) model.advance(MINUTE_MS);
    expect(Math.abs(model.levelValue - start)).toBeLessThan(0.003);
  });

  it('sits around 0.4 % over the USDT book, with 1–2 % spikes that revert', () => {
    const overUsdt: number[] = [];
    const spikes: number[] = [];
    // 3 model days at timeScale 600: each 100 ms tick is one model minute.
    const fast = market({
      seed: 11,
      assets: resolveAssets(['BTC']),
      timeScale: 600,
      binanceUpdatesPerSecond: 1,
      upbitUpdatesPerSecond: 1,
    });
    for (let i = 0; i < 3 * 24 * 60; i++) {
      fast.step();
      const fair = fast.fairValues();
      overUsdt.push(fair.assets.BTC!.premiumOverUsdt);
      spikes.push(fair.premiumSpike);
    }
    expect(fast.fairValues().premiumPreset).toBe('calibrated');
    expect(Math.abs(mean(overUsdt) - 0.004)).toBeLessThan(0.004);
    expect(Math.max(...spikes)).toBeGreaterThan(0.01);
    expect(spikes.filter((value) => Math.abs(value) > 0.005).length / spikes.length).toBeLessThan(0.2);
  });

  it('decays a spike with the configured half-life', () => {
    for (const spikeHalfLifeS of [360, 45]) {
      const model = new PremiumModel(1, ['BTC'], {
        ...SILENT,
        spikeHalfLifeS,
        scheduledSpikes: [{ atS: 100, size: 0.012 }],
      });
      model.advance(70_000);
      expect(model.spikeTotal).toBe(0);
      // The spike lands between two steps: what is left at the step accounts for the 5 s since.
      model.advance(35_000);
      expect(model.spikeTotal).toBeCloseTo(0.012 * 2 ** (-5 / spikeHalfLifeS), 12);
      model.advance(spikeHalfLifeS * 1000 - 5000);
      expect(model.spikeTotal).toBeCloseTo(0.006, 12);
      expect(model.coin('BTC') - 0.02).toBeCloseTo(0.006, 12);
      expect(model.usdt).toBeCloseTo(0.016, 12);
    }
  });

  it('builds a spike up over its rise half-life, the same whatever the step size', () => {
    const options = { ...SILENT, spikeRiseHalfLifeS: 20, scheduledSpikes: [{ atS: 10, size: 0.02 }] };
    const coarse = new PremiumModel(1, ['BTC'], options);
    const fine = new PremiumModel(1, ['BTC'], options);
    const path: number[] = [];
    for (let second = 1; second <= 600; second++) {
      fine.advance(1000);
      path.push(fine.spikeTotal);
      if (second % 30 === 0) {
        coarse.advance(30_000);
        expect(coarse.spikeTotal).toBeCloseTo(fine.spikeTotal, 12);
      }
    }
    // half of the demand has reached the price 20 s after it arrived, less what decayed meanwhile
    expect(path[29]!).toBeGreaterThan(0.009);
    expect(path[29]!).toBeLessThan(0.01);
    // a bi-exponential: peak ≈ 84 % of the size about 88 s after arrival, then the 6 min decay
    const peak = Math.max(...path);
    expect(peak / 0.02).toBeCloseTo(0.8436, 3);
    expect(path.indexOf(peak) + 1 - 10).toBeGreaterThan(80);
    expect(path.indexOf(peak) + 1 - 10).toBeLessThan(96);
  });

  it('draws random spikes at about spikesPerHour, 70 % upward, whatever the step size', () => {
    const options = { ...SILENT, spikesPerHour: 0.5 };
    const coarse = new PremiumModel(5, ['BTC'], options);
    const fine = new PremiumModel(5, ['BTC'], options);
    let up = 0;
    let down = 0;
    const decay = 2 ** (-60 / 360);
    for (let minute = 0; minute < 2000 * 60; minute++) {
      const before = coarse.spikeTotal;
      coarse.advance(MINUTE_MS);
      const jump = coarse.spikeTotal - before * decay;
      if (jump > 1e-9) up++;
      else if (jump < -1e-9) down++;
      if (minute < 600) for (let s = 0; s < 60; s++) fine.advance(1000);
      if (minute === 599) expect(fine.spikeTotal).toBeCloseTo(coarse.spikeTotal, 12);
    }
    // 2000 model hours at 0.5/h: 1000 expected, sd about 32.
    expect(up + down).toBeGreaterThan(880);
    expect(up + down).toBeLessThan(1120);
    expect(up / (up + down)).toBeGreaterThan(0.64);
    expect(up / (up + down)).toBeLessThan(0.76);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const model = new PremiumModel(seed, ['BTC', 'ETH']);
      for (let i = 0; i < 500; i++) model.advance(30_000);
      return [model.levelValue, model.intradayValue, model.spikeTotal, model.usdt, model.coin('ETH')];
    };
    expect(run(4)).toEqual(run(4));
    expect(run(5)).not.toEqual(run(4));
  });
});

describe('time scale', () => {
  it('advances model time by tickMs x timeScale per tick, books and timestamps in wall time', () => {
    const clock = new ManualClock();
    const normal = market({ clock });
    const fast = market({ clock, timeScale: 60 });
    normal.step(10);
    fast.step(10);
    expect(normal.timeScale).toBe(1);
    expect(normal.fairValues().modelTimeMs).toBe(10 * normal.tickMs);
    expect(fast.fairValues().modelTimeMs).toBe(10 * fast.tickMs * 60);
    expect(fast.fairValues().timeScale).toBe(60);
    // Ten 100 ms ticks moved the model 60 s, but the books' timestamps keep to the wall clock.
    expect(Math.abs(fast.upbitBook('KRW-BTC').timestamp - clock.now())).toBeLessThan(100);
  });

  it('runs the real-time ticker at the scale', () => {
    const clock = new ManualClock();
    const fast = market({ clock, timeScale: 30 });
    fast.resume();
    clock.advance(1000);
    fast.pause();
    expect(fast.fairValues().modelTimeMs).toBe(30_000);
  });
});

describe('premium presets', () => {
  it('demo: for every seed, a 1.5–2 % spike from 15 s wall (peaking at 84 % of it) that reverts within 45 s', () => {
    const sizes = new Set<number>();
    for (const seed of [1, 2, 3, 4, 5]) {
      const m = market({ seed, premiumPreset: 'demo' });
      expect(m.timeScale).toBe(60);
      const ticksPerSecond = 1000 / m.tickMs;
      const overUsdt: number[] = [];
      let spikePeak = 0;
      for (let tick = 1; tick <= 60 * ticksPerSecond; tick++) {
        m.step();
        const fair = m.fairValues();
        overUsdt.push(fair.assets.BTC!.premiumOverUsdt);
        if (fair.modelTimeMs <= 15 * MINUTE_MS) expect(fair.premiumSpike).toBe(0);
        spikePeak = Math.max(spikePeak, fair.premiumSpike);
      }
      // a spike of size S built up with a 20 s rise and a 6 min decay peaks at 0.8436 × S
      expect(spikePeak / 0.8436).toBeGreaterThanOrEqual(0.015 - 1e-6);
      expect(spikePeak / 0.8436).toBeLessThanOrEqual(0.02 + 1e-6);
      sizes.add(spikePeak);
      const at = (seconds: number) => Math.round(seconds * ticksPerSecond) - 1;
      const before = overUsdt.slice(at(5), at(14.9)).sort((a, b) => a - b);
      const preSpike = before[Math.floor(before.length / 2)]!;
      const window = overUsdt.slice(at(15), at(20));
      const peak = Math.max(...window);
      const peakTick = at(15) + window.indexOf(peak);
      expect(peak, `seed ${seed}`).toBeGreaterThanOrEqual(0.01);
      expect(peak - preSpike, `seed ${seed}`).toBeGreaterThanOrEqual(0.01);
      const after = overUsdt.slice(peakTick, peakTick + 45 * ticksPerSecond);
      expect(Math.min(...after) - preSpike, `seed ${seed}`).toBeLessThan(0.004);
    }
    expect(sizes.size).toBe(5);
  });

  it('lets explicit options override the preset field by field', async () => {
    const m = market({ premiumPreset: 'demo', premium: { mean: 0.03 }, timeScale: 10 });
    expect(m.premiumPreset).toBe('demo');
    expect(m.timeScale).toBe(10);
    m.step(1);
    expect(m.fairValues().premiumLevel).toBeCloseTo(0.03, 3);
    const sim = await simulator({ premiumPreset: 'demo' });
    expect([sim.premiumPreset, sim.timeScale]).toEqual(['demo', 60]);
    expect(sim.market.fairValues().premiumPreset).toBe('demo');
    expect(PREMIUM_PRESETS.demo.timeScale).toBe(60);
    expect(PREMIUM_PRESETS.calibrated.timeScale).toBe(1);
    expect((await simulator()).timeScale).toBe(1);
  });
});

describe('premium option validation', () => {
  it.each([
    [{ sd: -0.01 }, /premium\.sd must be/],
    [{ halfLifeS: 0 }, /premium\.halfLifeS must be/],
    [{ intradayHalfLifeS: Number.NaN }, /premium\.intradayHalfLifeS must be/],
    [{ spikesPerHour: -1 }, /premium\.spikesPerHour must be/],
    [{ spikeUpShare: 1.5 }, /premium\.spikeUpShare must be a number in \[0, 1\]/],
    [{ usdtShare: -0.1 }, /premium\.usdtShare must be/],
    [{ mean: 2 }, /premium\.mean must be a fraction in \[-0\.5, 1\]/],
    [{ scheduledSpikes: [{ atS: -1, size: 0.01 }] }, /premium\.scheduledSpikes\[0\]\.atS must be/],
    [{ scheduledSpikes: [{ atS: 1, size: 0.01, sizeTo: 5 }] }, /premium\.scheduledSpikes\[0\]\.sizeTo/],
  ] as Array<[PremiumOptions, RegExp]>)('rejects %o', (options, message) => {
    expect(() => resolvePremium(options)).toThrow(ConfigError);
    expect(() => resolvePremium(options)).toThrow(message);
    expect(() => market({ premium: options })).toThrow(message);
  });

  it('rejects a bad preset or time scale when the simulator starts', async () => {
    await expect(simulator({ timeScale: 0 })).rejects.toThrow(/timeScale must be/);
    await expect(simulator({ premiumPreset: 'fast' as 'demo' })).rejects.toThrow(
      /premiumPreset must be one of 'calibrated', 'demo'/,
    );
    await expect(simulator({ premium: { assetSd: -1 } })).rejects.toThrow(/premium\.assetSd/);
  });
});
