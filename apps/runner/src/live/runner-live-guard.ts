import { LiveGuard } from '@arbitrage/engine';

/** The runner's one explicit live switch is its `live` command; `paper` never asks for live. */
export function runnerLiveGuard(): LiveGuard {
  return new LiveGuard({ flagSwitch: 'the `live` command (arbitrage-runner live, instead of paper)' });
}
