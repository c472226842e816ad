import { createRequire } from 'node:module';
import { type RecordingManifest, RecordingWriter } from '../recording/index.js';
import type { OpenRecording, OpenRecordingWriter } from './record-session.js';

const require = createRequire(import.meta.url);

/** The packages whose versions a recording names (docs/recording.md, "Manifest"). */
const RECORDED_PACKAGES = [
  '@arbitrage/core',
  '@arbitrage/exchange-kit',
  '@arbitrage/exchange-upbit',
  '@arbitrage/exchange-binance',
  '@arbitrage/exchange-okx',
];

/** Opens the recording writer of docs/recording.md for a `record` or `paper --record` run. */
export const openRecordingWriter: OpenRecordingWriter = async (inputs) => {
  const writer = await RecordingWriter.open({ ...inputs, versions: packageVersions() });
  const recording: OpenRecording = {
    sink: writer,
    progress: () => totals(writer.manifest()),
    close: async () => {
      const manifest = await writer.close();
      const files = Object.values(manifest.exchanges).flatMap((exchange) => exchange.files);
      return { dir: inputs.dir, ...totals(manifest), files };
    },
  };
  return recording;
};

function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = {
    // From src/record or dist/record, two levels up is this package's own folder.
    '@arbitrage/runner': (require('../../package.json') as { version: string }).version,
  };
  for (const name of RECORDED_PACKAGES) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      versions[name] = 'unknown';
    }
  }
  return versions;
}

function totals(manifest: RecordingManifest): { entries: number; dropped: number } {
  let entries = 0;
  for (const counts of Object.values(manifest.counts)) {
    for (const count of Object.values(counts)) entries += count;
  }
  let dropped = 0;
  for (const count of Object.values(manifest.dropped)) dropped += count;
  return { entries, dropped };
}
