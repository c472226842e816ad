import { afterAll, expect, it } from 'vitest';
import { openRecording } from '../recording/index.js';
import { openTestWriter, removeTempDirs, T0, tempDir } from '../test-support/recording-fixtures.js';
import { ReplayDriver, type ReplayProgress } from './replay-driver.js';

afterAll(removeTempDirs);

it('a replay reports its progress: entries so far, recorded time done, of the whole span', async () => {
  const { writer, clock, out } = await openTestWriter(await tempDir());
  for (let i = 0; i < 3_000; i++) writer.frame('binance', 1, T0 + i * 10, `{"n":${i}}`, false);
  clock.advanceTo(T0 + 30_000);
  await writer.close();
  const reports: ReplayProgress[] = [];
  const driver = new ReplayDriver(
    await openRecording(out),
    {},
    {
      everyMs: 0,
      report: (progress) => reports.push(progress),
    },
  );
  const stats = await driver.run(Promise.resolve());
  expect(stats.entries).toBe(3_000);
  expect(reports.map((report) => report.entries)).toEqual([1_024, 2_048]);
  expect(reports.map((report) => report.doneMs)).toEqual([10_230, 20_470]);
  for (const report of reports) expect(report.spanMs).toBe(30_000);
});
