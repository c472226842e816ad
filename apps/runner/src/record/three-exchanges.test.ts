import { afterEach, describe, expect, it } from 'vitest';
import { openRecording } from '../recording/open-recording.js';
import { openTestWriter, readAll, removeTempDirs, T0, tempDir } from '../test-support/recording-fixtures.js';
import { testConfig } from '../test-support/support.js';
import { recordedSymbols } from './record-session.js';

afterEach(removeTempDirs);

describe('recording with two USDT venues', () => {
  it('covers every venue’s markets, one file set per exchange, read back in time order', async () => {
    const config = testConfig({
      exchanges: { krw: 'upbit', usdt: ['binance', 'okx'] },
      assets: [{ asset: 'BTC', tradeSize: 0.01 }],
      limits: { maxPositionPerAsset: { BTC: 0.02 } },
    });
    const exchanges = recordedSymbols(config);
    expect(exchanges).toEqual({
      upbit: ['BTC/KRW', 'USDT/KRW'],
      binance: ['BTC/USDT'],
      okx: ['BTC/USDT'],
    });

    const { writer, out } = await openTestWriter(await tempDir(), { exchanges });
    writer.frame('okx', 1, T0 + 1, Buffer.from('{"arg":{"channel":"books"}}'), false);
    writer.frame('upbit', 1, T0 + 2, Buffer.from('{"ty":"orderbook"}'), true);
    writer.frame('binance', 1, T0 + 3, Buffer.from('{"e":"depthUpdate"}'), false);
    writer.rest('okx', T0 + 4, 200, 'GET', '/api/v5/market/books?instId=BTC-USDT&sz=400', '{"code":"0"}');
    const manifest = await writer.close();
    expect(Object.keys(manifest.exchanges).sort()).toEqual(['binance', 'okx', 'upbit']);
    expect(manifest.exchanges.okx!.files).toEqual(['okx/2026-12-06T08.tsv.gz']);

    const recording = await openRecording(out);
    expect(readAll(recording).map((entry) => [entry.t - T0, entry.exchange, entry.kind])).toEqual([
      [1, 'okx', 'w'],
      [2, 'upbit', 'u'],
      [3, 'binance', 'w'],
      [4, 'okx', 'r'],
    ]);
  });
});
