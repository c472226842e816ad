import type { MarketHandle } from '../market/market.js';
import type { Recording } from '../recording/index.js';
import type { ReplayDriver } from '../replay/replay-driver.js';

/** Nothing listens here: a replayed plugin's sockets and requests go to the recording instead. */
const NOWHERE = { restUrl: 'http://replay.invalid', wsUrl: 'ws://replay.invalid' };

/** The market of a backtest: the recording, played through the plugins by the driver. */
export function replayMarket(recording: Recording, driver: ReplayDriver): MarketHandle {
  const { manifest } = recording;
  const recordedFrom = manifest.market === 'sim' ? 'SIMULATED MARKET' : 'LIVE MARKET DATA';
  return {
    kind: manifest.market,
    label: `REPLAY of ${recording.dir} (recorded from ${recordedFrom})`,
    endpointsFor: () => NOWHERE,
    transportFor: (exchange) => driver.transportFor(exchange),
    simulator: undefined,
    timeScale: manifest.marketTime?.timeScale ?? 1,
    preset: manifest.marketTime?.preset,
    stop: async () => {},
  };
}
