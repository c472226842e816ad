import { readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '@arbitrage/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  memberOffsets,
  openTestWriter,
  readAll,
  removeTempDirs,
  T0,
  tempDir,
} from '../test-support/recording-fixtures.js';
import { openRecording } from './open-recording.js';

afterEach(removeTempDirs);

const MINUTE = 60_000;
const HOUR = 3_600_000;

describe('RecordingWriter', () => {
  it('writes frames, connection events and REST responses that read back as given', async () => {
    const { writer, out } = await openTestWriter(await tempDir());
    writer.opened('upbit', 1, T0 + 1, 'wss://api.upbit.com/websocket/v1');
    writer.frame('upbit', 1, T0 + 2.5, Buffer.from('{"ty":"orderbook","cd":"KRW-BTC"}'), true);
    writer.frame('binance', 1, T0 + 3, Buffer.from('{"e":"depthUpdate"}'), false);
    writer.frame('binance', 1, T0 + 4, Buffer.from([0, 1, 2, 255]), true);
    writer.rest(
      'binance',
      T0 + 5.125,
      200,
      'GET',
      '/api/v3/depth?symbol=BTCUSDT&limit=1000',
      '{"lastUpdateId":1}',
    );
    writer.rest('upbit', T0 + 6, 502, 'GET', '/v1/orderbook?markets=KRW-BTC', Buffer.from([0xff, 0xfe]));
    writer.closed('upbit', 1, T0 + 7, 1006);
    const manifest = await writer.close();

    expect(manifest.counts.upbit).toEqual({ w: 0, u: 1, b: 0, o: 1, c: 1, r: 0, R: 1 });
    expect(manifest.counts.binance).toEqual({ w: 1, u: 0, b: 1, o: 0, c: 0, r: 1, R: 0 });
    expect(manifest.exchanges.upbit!.files).toEqual(['upbit/2026-12-06T08.tsv.gz']);
    const recording = await openRecording(out);
    expect(recording.manifest).toEqual(manifest);
    expect(recording.warnings()).toEqual([]);
    const entries = readAll(recording);
    expect(
      entries.map((entry) => [entry.t - T0, entry.exchange, entry.kind, entry.conn, entry.meta]),
    ).toEqual([
      [1, 'upbit', 'o', 1, 'wss://api.upbit.com/websocket/v1'],
      [2.5, 'upbit', 'u', 1, ''],
      [3, 'binance', 'w', 1, ''],
      [4, 'binance', 'b', 1, ''],
      [5.125, 'binance', 'r', null, '200 GET /api/v3/depth?symbol=BTCUSDT&limit=1000'],
      [6, 'upbit', 'R', null, '502 GET /v1/orderbook?markets=KRW-BTC'],
      [7, 'upbit', 'c', 1, '1006'],
    ]);
    expect(entries[1]!.payload).toEqual(Buffer.from('{"ty":"orderbook","cd":"KRW-BTC"}'));
    expect(entries[3]!.payload).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(entries[4]!.payload).toBe('{"lastUpdateId":1}');
    expect(entries[5]!.payload).toEqual(Buffer.from([0xff, 0xfe]));
  });

  it('starts a gzip member every minute and a file every UTC hour', async () => {
    const { writer, clock, out } = await openTestWriter(await tempDir());
    const times = [
      T0 + 10,
      T0 + 20,
      T0 + MINUTE + 5,
      T0 + 2 * MINUTE,
      T0 + HOUR - 1,
      T0 + HOUR,
      T0 + 2 * HOUR + 1,
    ];
    for (const [index, t] of times.entries()) {
      writer.frame('binance', 1, t, `{"n":${index}}`, false);
      if (index === 1) await writer.flush();
    }
    clock.advance(1000);
    await writer.close();
    expect(await readdir(path.join(out, 'binance'))).toEqual([
      '2026-12-06T08.tsv.gz',
      '2026-12-06T09.tsv.gz',
      '2026-12-06T10.tsv.gz',
    ]);
    const first = await readFile(path.join(out, 'binance', '2026-12-06T08.tsv.gz'));
    expect(memberOffsets(first)).toHaveLength(4); // minutes 0, 1, 2 and 59
    const entries = readAll(await openRecording(out));
    expect(entries.map((entry) => entry.t)).toEqual(times);
    expect(entries.map((entry) => entry.payload.toString())).toEqual(
      times.map((_, index) => `{"n":${index}}`),
    );
  });

  it('sorts entries a flush received out of order and raises the time of one that came after a flush', async () => {
    const { writer, out } = await openTestWriter(await tempDir());
    writer.frame('binance', 2, T0 + 30, 'b', false);
    writer.rest('binance', T0 + 10, 200, 'GET', '/api/v3/depth', 'a'); // timed before its body was read
    await writer.flush();
    writer.frame('binance', 2, T0 + 20, 'c', false);
    const manifest = await writer.close();
    expect(manifest.retimed.binance).toBe(1);
    const recording = await openRecording(out);
    expect(readAll(recording).map((entry) => [entry.t - T0, String(entry.payload)])).toEqual([
      [10, 'a'],
      [30, 'b'],
      [30, 'c'],
    ]);
    expect(recording.warnings()).toEqual([
      { code: 'retimed_entries', file: path.join(out, 'binance'), count: 1 },
    ]);
  });

  it('flushes on its timer and rewrites the manifest every minute', async () => {
    const { writer, clock, out } = await openTestWriter(await tempDir());
    writer.frame('upbit', 1, T0 + 1, 'x', false);
    clock.advance(1000); // the timer starts a flush
    await writer.flush(); // queued behind it
    clock.advance(MINUTE);
    await writer.flush();
    const during = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    expect(during.endedAt).toBeNull();
    expect(during.counts.upbit.w).toBe(1);
    expect(during.exchanges.upbit.files).toEqual(['upbit/2026-12-06T08.tsv.gz']);
    await writer.close();
  });

  it('leaves no timer and no open file after close', async () => {
    const fds = readdirSync('/proc/self/fd').length;
    const { writer, clock } = await openTestWriter(await tempDir());
    writer.frame('upbit', 1, T0 + 1, 'x', false);
    writer.frame('binance', 1, T0 + HOUR + 1, 'y', false);
    await writer.flush();
    expect(readdirSync('/proc/self/fd').length).toBe(fds + 2);
    const manifest = await writer.close();
    expect(clock.pendingTimers).toBe(0);
    expect(readdirSync('/proc/self/fd').length).toBe(fds);
    expect(manifest.endedAt).toBe(new Date(T0).toISOString());
    expect(await writer.close()).toBe(manifest);
    writer.frame('upbit', 1, T0 + 2, 'late', false); // after close: ignored, no throw
  });

  it('leaves no timer when closed while its timer is flushing', async () => {
    const { writer, clock } = await openTestWriter(await tempDir());
    writer.frame('upbit', 1, T0 + 1, 'x', false);
    clock.advance(1000); // the timer's flush is under way
    await writer.close();
    expect(clock.pendingTimers).toBe(0);
  });

  it('never throws at the caller, even for a call without data', async () => {
    const { writer, errors } = await openTestWriter(await tempDir());
    writer.frame('upbit', 1, T0, undefined as unknown as Buffer, false);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringContaining('not recorded: TypeError'),
    ]);
    expect((await writer.close()).dropped.upbit).toBe(1);
  });

  it('refuses a folder that holds a recording, a non-empty folder and a file; uses an empty folder', async () => {
    const dir = await tempDir();
    const { writer, out } = await openTestWriter(dir);
    await writer.close();
    await expect(openTestWriter(dir)).rejects.toThrow(
      new ConfigError(
        `${out} already holds a recording, which is never overwritten: choose a new folder, or delete that one first`,
      ),
    );
    await rm(path.join(out, 'manifest.json'));
    await expect(openTestWriter(dir)).rejects.toThrow(/rec: the folder is not empty and is not a recording/);
    await rm(out, { recursive: true });
    await writeFile(out, 'x');
    await expect(openTestWriter(dir)).rejects.toThrow(/rec: it is a file, not a folder/);
    await rm(out);
    await mkdir(out);
    const reused = await openTestWriter(dir);
    await reused.writer.close();
  });

  it('reports a full disk once, naming the file and the errno, then drops and counts entries', async () => {
    const { writer, out, errors } = await openTestWriter(await tempDir());
    await symlink('/dev/full', path.join(out, 'upbit', '2026-12-06T08.tsv.gz'));
    writer.frame('upbit', 1, T0 + 1, 'a', false);
    writer.frame('upbit', 1, T0 + 2, 'b', false);
    await writer.flush();
    writer.frame('upbit', 1, T0 + 3, 'c', false);
    writer.frame('binance', 1, T0 + 4, 'd', false);
    await writer.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(
      `recording stopped: could not write ${path.join(out, 'upbit', '2026-12-06T08.tsv.gz')} (ENOSPC: the disk is full: ` +
        'free some space, or record into a folder on another disk). The run goes on; entries from now on are ' +
        'dropped and counted in the manifest.',
    );
    const manifest = await writer.close();
    expect(manifest.dropped).toEqual({ upbit: 3, binance: 1 });
    expect(errors).toHaveLength(1);
  });

  it('reports a recording folder removed while recording', async () => {
    const { writer, out, errors } = await openTestWriter(await tempDir());
    writer.frame('upbit', 1, T0 + 1, 'a', false);
    await writer.flush();
    await rm(out, { recursive: true });
    writer.frame('upbit', 1, T0 + 2, 'b', false);
    await writer.flush();
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringContaining(
        `could not write ${out} (ENOENT: the recording folder was removed or renamed while recording)`,
      ),
    ]);
    await writer.close();
  });

  it('drops and counts entries beyond the buffer cap instead of holding up the caller', async () => {
    const { writer, errors } = await openTestWriter(await tempDir(), { maxBufferedBytes: 1000 });
    for (let i = 0; i < 20; i++) writer.frame('binance', 1, T0 + i, 'x'.repeat(100), false);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringContaining('recording is falling behind'),
    ]);
    await writer.flush();
    writer.frame('binance', 1, T0 + 30, 'y', false); // room again after the flush
    const manifest = await writer.close();
    expect(manifest.counts.binance!.w).toBe(7);
    expect(manifest.dropped.binance).toBe(14);
  });

  it('tells about an exchange that was not declared, once', async () => {
    const { writer, errors } = await openTestWriter(await tempDir());
    writer.frame('okx', 1, T0, 'x', false);
    writer.frame('okx', 1, T0, 'x', false);
    expect(errors.map((error) => error.message)).toEqual([
      'not recorded: exchange "okx" was not declared when the recording was opened',
    ]);
    await writer.close();
  });
});
