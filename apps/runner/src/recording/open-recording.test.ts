import { mkdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
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
const FILE = path.join('binance', '2026-12-06T08.tsv.gz');

/** A closed recording with `perMinute` binance frames in each of `minutes` minutes. */
async function recorded(minutes = 3, perMinute = 5): Promise<{ out: string; file: string; times: number[] }> {
  const { writer, out } = await openTestWriter(await tempDir());
  const times: number[] = [];
  for (let minute = 0; minute < minutes; minute++) {
    for (let i = 0; i < perMinute; i++) {
      const t = T0 + minute * MINUTE + i * 1000;
      writer.frame('binance', 1, t, `{"e":"depthUpdate","u":${times.length}}`, false);
      times.push(t);
    }
  }
  await writer.close();
  return { out, file: path.join(out, FILE), times };
}

/** A closed, empty recording whose binance file is then replaced by `lines` in one gzip member. */
async function handmade(lines: readonly string[]): Promise<{ out: string; file: string }> {
  const { writer, out } = await openTestWriter(await tempDir());
  await writer.close();
  const file = path.join(out, FILE);
  await writeFile(file, gzipSync(lines.map((line) => `${line}\n`).join('')));
  return { out, file };
}

describe('openRecording: reading', () => {
  it('filters by time (from inclusive, to exclusive)', async () => {
    const { out, times } = await recorded();
    const recording = await openRecording(out);
    const entries = readAll(recording, { from: times[3], to: times[7] });
    expect(entries.map((entry) => entry.t)).toEqual(times.slice(3, 7));
  });

  it('starts reading at the hour file that holds `from`', async () => {
    const { writer, out } = await openTestWriter(await tempDir());
    const times = [0, 1, 2, 3].map((hour) => T0 + hour * 3_600_000 + 5);
    for (const t of times) writer.frame('upbit', 1, t, String(t), true);
    await writer.close();
    const entries = readAll(await openRecording(out), { from: times[2]! - 1 });
    expect(entries.map((entry) => entry.t)).toEqual(times.slice(2));
  });

  it('offers the same entries as an async iterator', async () => {
    const { out, times } = await recorded();
    const recording = await openRecording(out);
    const seen: number[] = [];
    for await (const entry of recording.entries()) seen.push(entry.t);
    expect(seen).toEqual(times);
  });
});

describe('openRecording: bad input', () => {
  it('skips a truncated last line (a crash mid-write) with a counted warning naming file and offset', async () => {
    const { out, file, times } = await recorded(1, 3);
    const text = gunzipSync(await readFile(file)).toString();
    const lastLine = text.lastIndexOf('\n', text.length - 2) + 1;
    await writeFile(file, gzipSync(text.slice(0, lastLine + 10)));
    const recording = await openRecording(out);
    expect(readAll(recording).map((entry) => entry.t)).toEqual(times.slice(0, 2));
    expect(recording.warnings()).toEqual([{ code: 'truncated_line', file, offset: lastLine, count: 1 }]);
  });

  it('reads a truncated last gzip member up to its last sync flush, with a counted warning', async () => {
    const { writer, out } = await openTestWriter(await tempDir());
    const first = [1, 2, 3].map((i) => T0 + i);
    for (const t of first) writer.frame('binance', 1, t, `{"flush":1,"t":${t}}`, false);
    await writer.flush();
    const file = path.join(out, FILE);
    const flushed = (await stat(file)).size;
    for (let i = 4; i < 200; i++) writer.frame('binance', 1, T0 + i, `{"flush":2,"n":${i * 7919}}`, false);
    await writer.flush();
    const written = (await stat(file)).size;
    await truncate(file, flushed + Math.floor((written - flushed) / 2)); // the crash: cut inside the second flush
    const recording = await openRecording(out);
    const entries = readAll(recording);
    expect(entries.slice(0, 3).map((entry) => entry.t)).toEqual(first);
    expect(entries.map((entry) => entry.t)).toEqual(entries.map((_, index) => T0 + index + 1));
    expect(recording.warnings()).toEqual(
      expect.arrayContaining([
        { code: 'not_closed', file: path.join(out, 'manifest.json'), count: 1 },
        { code: 'truncated_member', file, offset: 0, count: 1 },
      ]),
    );
    await writer.close();
  });

  it('reads a recording whose writer never closed (a crash after the last flush)', async () => {
    const { writer, out } = await openTestWriter(await tempDir());
    writer.frame('upbit', 3, T0 + 5, '{"ty":"trade"}', true);
    await writer.flush();
    const recording = await openRecording(out);
    expect(readAll(recording).map((entry) => [entry.exchange, entry.kind, entry.conn])).toEqual([
      ['upbit', 'u', 3],
    ]);
    expect(recording.warnings().map((warning) => warning.code)).toEqual(['not_closed', 'truncated_member']);
    await writer.close();
  });

  it('refuses a corrupt gzip member in the middle of a file, naming the file and the member offset', async () => {
    const { out, file } = await recorded();
    const bytes = await readFile(file);
    const offsets = memberOffsets(bytes);
    expect(offsets).toHaveLength(3);
    bytes[offsets[1]! + 10] = 0x07; // a final block of the reserved type 3
    await writeFile(file, bytes);
    const recording = await openRecording(out);
    expect(() => readAll(recording)).toThrow(
      `${file}: the gzip member at compressed byte offset ${offsets[1]} is corrupt (invalid block type); ` +
        'the recording cannot be read past it',
    );
  });

  it('refuses a member whose CRC does not match its data', async () => {
    const { out, file } = await recorded();
    const bytes = await readFile(file);
    const offsets = memberOffsets(bytes);
    bytes[offsets[2]! - 8]! ^= 0xff;
    await writeFile(file, bytes);
    await expect(openRecording(out).then(readAll)).rejects.toThrow(
      `${file}: the gzip member at compressed byte offset ${offsets[1]} is corrupt (CRC-32 mismatch)`,
    );
  });

  it('refuses a file cut short when later files follow', async () => {
    const { writer, out } = await openTestWriter(await tempDir());
    writer.frame('binance', 1, T0 + 1, 'a', false);
    writer.frame('binance', 1, T0 + 3_600_000, 'b', false);
    await writer.close();
    const file = path.join(out, FILE);
    await truncate(file, (await stat(file)).size - 4);
    await expect(openRecording(out).then(readAll)).rejects.toThrow(
      `${file} ends inside the gzip member at compressed byte offset 0, but later files follow: data is missing in the middle of the recording`,
    );
  });

  it('refuses a newer format version, naming both versions', async () => {
    const { out } = await recorded(1, 1);
    const manifestFile = path.join(out, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    await writeFile(manifestFile, JSON.stringify({ ...manifest, version: 2 }));
    await expect(openRecording(out)).rejects.toThrow(
      `${out} was recorded in format version 2; this reader supports version 1. Upgrade @arbitrage/runner to read it.`,
    );
  });

  it('refuses a folder without a manifest', async () => {
    const { out } = await recorded(1, 1);
    await rm(path.join(out, 'manifest.json'));
    await expect(openRecording(out)).rejects.toThrow(`${out} is not a recording (no manifest.json)`);
  });

  it('refuses entries out of time order, naming the file, the line and both times', async () => {
    const { out, file } = await handmade([`${T0 + 2}\tw\t1\t\t{}`, `${T0 + 1}.5\tw\t1\t\t{}`]);
    await expect(openRecording(out).then(readAll)).rejects.toThrow(
      `${file} line 2: time ${T0 + 1.5} is before the previous entry's ${T0 + 2}; an exchange's entries must be in time order`,
    );
  });

  it('refuses a folder that is not a recording', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'notes.txt'), 'hello');
    await mkdir(path.join(dir, 'upbit'));
    await expect(openRecording(dir)).rejects.toThrow(`${dir} is not a recording (no manifest.json)`);
    await expect(openRecording(path.join(dir, 'notes.txt'))).rejects.toThrow('notes.txt is not a recording');
    await expect(openRecording(path.join(dir, 'missing'))).rejects.toThrow('missing is not a recording');
    await writeFile(path.join(dir, 'manifest.json'), '{"name":"some-package"}');
    await expect(openRecording(dir)).rejects.toThrow(
      `${dir} is not a recording (${path.join(dir, 'manifest.json')} does not say format "arbitrage-recording")`,
    );
    await writeFile(path.join(dir, 'manifest.json'), '{"format":');
    await expect(openRecording(dir)).rejects.toThrow(`${path.join(dir, 'manifest.json')} is not valid JSON`);
  });

  it.each([
    ['wrong field count', `${T0}\tw\t1\t{}`, 'it has 4 fields, expected 5'],
    ['extra field', `${T0}\tw\t1\t\t{}\tmore`, 'it has more than 5 fields (a raw tab in the payload)'],
    ['unknown kind', `${T0}\tx\t1\t\t{}`, 'unknown kind "x"'],
    ['bad time', `${T0}x\tw\t1\t\t{}`, 'the time is not a number of ms (at most 3 decimals)'],
    ['bad time digits', `abc\tw\t1\t\t{}`, 'the time is not a number of ms'],
    ['bad connection', `${T0}\tw\tone\t\t{}`, 'the connection is not a number or "-"'],
    ['REST with a connection', `${T0}\tr\t1\t200 GET /x\t{}`, 'kind r needs connection "-"'],
    ['bad escape', `${T0}\tw\t1\t\t{\\x}`, 'a backslash followed by byte 120'],
  ])('refuses a malformed line (%s), naming the file and the line', async (_, line, problem) => {
    const { out, file } = await handmade([`${T0 - 1}\tw\t1\t\t{}`, line]);
    await expect(openRecording(out).then(readAll)).rejects.toThrow(
      `${file} line 2: malformed entry (${problem})`,
    );
  });
});
