import type { ReplayProgress } from '../replay/replay-driver.js';

/** The backtest's stderr line, e.g. `backtest: 45% of the recorded 26m40s, 1,234,567 frames replayed`. */
export function formatReplayProgress(progress: ReplayProgress): string {
  const frames = `${progress.entries.toLocaleString('en-US')} frames replayed`;
  if (progress.spanMs === undefined || progress.spanMs <= 0) return `backtest: ${frames}\n`;
  const percent = Math.min(100, Math.floor((progress.doneMs / progress.spanMs) * 100));
  return `backtest: ${percent}% of the recorded ${span(progress.spanMs)}, ${frames}\n`;
}

function span(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}
