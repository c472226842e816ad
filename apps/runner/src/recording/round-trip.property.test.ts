import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import { openTestWriter, readAll, removeTempDirs, T0, tempDir } from '../test-support/recording-fixtures.js';
import type { EntryKind } from './entry.js';
import { openRecording } from './open-recording.js';

afterEach(removeTempDirs);

type Call =
  | { type: 'frame'; exchange: string; conn: number; data: string | Uint8Array; binary: boolean }
  | { type: 'opened'; exchange: string; conn: number; url: string }
  | { type: 'closed'; exchange: string; conn: number; code: number }
  | { type: 'rest'; exchange: string; status: number; path: string; body: string | Uint8Array };

const exchange = fc.constantFrom('upbit', 'binance', 'okx');
/** Text that exercises the escaping: tabs, newlines, CR, backslashes, unicode. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\t', '\n', '\r', '\\', '\\n', '한', '€', '😀', '"'),
    fc.string({ maxLength: 1 }),
  ),
  maxLength: 40,
});
const call: fc.Arbitrary<Call> = fc.oneof(
  fc.record({
    type: fc.constant('frame' as const),
    exchange,
    conn: fc.nat(20),
    data: fc.oneof(text, fc.uint8Array({ maxLength: 40 })),
    binary: fc.boolean(),
  }),
  fc.record({ type: fc.constant('opened' as const), exchange, conn: fc.nat(20), url: text }),
  fc.record({
    type: fc.constant('closed' as const),
    exchange,
    conn: fc.nat(20),
    code: fc.integer({ min: 1000, max: 4999 }),
  }),
  fc.record({
    type: fc.constant('rest' as const),
    exchange,
    status: fc.integer({ min: 100, max: 599 }),
    path: text,
    body: fc.oneof(text, fc.uint8Array({ maxLength: 40 })),
  }),
);
/** Steps in ms (with µs fractions) that cross minutes and, sometimes, hours. */
const step = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 5_000_000 }).map((us) => us / 1000),
  fc.integer({ min: 0, max: 2_000_000 }),
);

function expected(entry: Call): {
  kind: EntryKind;
  conn: number | null;
  meta: string;
  payload: string | Buffer;
} {
  switch (entry.type) {
    case 'frame': {
      const bytes = Buffer.from(entry.data);
      const kind = !entry.binary ? 'w' : typeof entry.data === 'string' || isUtf8(bytes) ? 'u' : 'b';
      return { kind, conn: entry.conn, meta: '', payload: bytes };
    }
    case 'opened':
      return { kind: 'o', conn: entry.conn, meta: entry.url, payload: '' };
    case 'closed':
      return { kind: 'c', conn: entry.conn, meta: String(entry.code), payload: '' };
    case 'rest': {
      const meta = `${entry.status} GET ${entry.path}`;
      if (typeof entry.body === 'string') return { kind: 'r', conn: null, meta, payload: entry.body };
      const bytes = Buffer.from(entry.body);
      return isUtf8(bytes)
        ? { kind: 'r', conn: null, meta, payload: bytes.toString('utf8') }
        : { kind: 'R', conn: null, meta, payload: bytes };
    }
  }
}

function isUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8')).equals(bytes);
}

it('reads back what was written, in time order, across flushes, minutes and hours', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(call, step, fc.boolean()), { minLength: 1, maxLength: 80 }),
      async (calls) => {
        const { writer, out } = await openTestWriter(await tempDir(), {
          exchanges: { upbit: ['BTC/KRW'], binance: ['BTC/USDT'], okx: [] },
        });
        let t = T0 + 0.25;
        const written: { t: number; exchange: string; order: number; call: Call }[] = [];
        for (const [index, [entry, delta, flushAfter]] of calls.entries()) {
          t = Math.round((t + delta) * 1000) / 1000;
          if (entry.type === 'frame')
            writer.frame(entry.exchange, entry.conn, t, Buffer.from(entry.data), entry.binary);
          if (entry.type === 'opened') writer.opened(entry.exchange, entry.conn, t, entry.url);
          if (entry.type === 'closed') writer.closed(entry.exchange, entry.conn, t, entry.code);
          if (entry.type === 'rest') {
            const body = typeof entry.body === 'string' ? entry.body : Buffer.from(entry.body);
            writer.rest(entry.exchange, t, entry.status, 'GET', entry.path, body);
          }
          written.push({ t, exchange: entry.exchange, order: index, call: entry });
          if (flushAfter) await writer.flush();
        }
        await writer.close();
        const rank = { upbit: 0, binance: 1, okx: 2 } as Record<string, number>;
        written.sort((a, b) => a.t - b.t || rank[a.exchange]! - rank[b.exchange]! || a.order - b.order);
        const recording = await openRecording(out);
        const read = readAll(recording).map((entry) => ({
          t: entry.t,
          exchange: entry.exchange,
          kind: entry.kind,
          conn: entry.conn,
          meta: entry.meta,
          payload: entry.payload,
        }));
        expect(read).toEqual(
          written.map((entry) => ({ t: entry.t, exchange: entry.exchange, ...expected(entry.call) })),
        );
        expect(recording.warnings()).toEqual([]);
      },
    ),
    { numRuns: 60 },
  );
});
