import type { RunnerConfig } from '../config/schema.js';

type EngineSettings = RunnerConfig['engine'];

/**
 * The engine's time windows in wall time for a market whose clock runs `timeScale` times faster
 * than the wall (the simulator's demo preset): a 2-hour reference window over a 60× market is two
 * wall minutes, so the strategy sees the same market hours it would see live.
 */
export function strategyForMarket(engine: EngineSettings, timeScale: number): EngineSettings {
  if (timeScale === 1) return engine;
  const baseline =
    engine.baseline.mode === 'rolling'
      ? {
          ...engine.baseline,
          windowMs: engine.baseline.windowMs / timeScale,
          warmupMs: engine.baseline.warmupMs / timeScale,
        }
      : engine.baseline;
  return {
    ...engine,
    exit: { ...engine.exit, maxHoldingMs: engine.exit.maxHoldingMs / timeScale },
    baseline,
  };
}

/** "2 h", "10 min", "6 s": durations as people read them. */
export function formatSpan(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Number((ms / 1000).toPrecision(3))} s`;
}

/** The line printed at start when market time is compressed, so that nobody takes demo PnL for a forecast. */
export function describeMarketTime(engine: EngineSettings, preset: string, timeScale: number): string {
  const scaled = strategyForMarket(engine, timeScale);
  const windows = [
    `max holding ${formatSpan(engine.exit.maxHoldingMs)} → ${formatSpan(scaled.exit.maxHoldingMs)}`,
  ];
  if (engine.baseline.mode === 'rolling' && scaled.baseline.mode === 'rolling') {
    windows.unshift(
      `reference window ${formatSpan(engine.baseline.windowMs)} → ${formatSpan(scaled.baseline.windowMs)}`,
      `warm-up ${formatSpan(engine.baseline.warmupMs)} → ${formatSpan(scaled.baseline.warmupMs)}`,
    );
  }
  return (
    `simulator preset "${preset}": market time runs ${timeScale}× faster than the wall clock ` +
    `(1 wall minute = ${formatSpan(60_000 * timeScale)} of market), and the engine's windows are scaled with it ` +
    `(${windows.join(', ')}). Demo PnL shows how the strategy behaves, not what it would earn.`
  );
}
