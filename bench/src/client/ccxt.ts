import { setTimeout as sleep } from 'node:timers/promises';
import ccxt from 'ccxt';
import type { ClientBook, ClientConfig } from '../protocol.js';
import { unifiedSymbol } from '../symbols.js';
import type { ClientFactory, RunningClient } from './client.js';
import type { Recorder } from './recorder.js';

/** The part of a ccxt order book the harness reads. */
interface CcxtBook {
  readonly bids: ReadonlyArray<readonly [number, number]>;
  readonly asks: ReadonlyArray<readonly [number, number]>;
  readonly nonce?: number;
  readonly timestamp?: number;
}

interface CcxtPro {
  loadHttpProxyAgent(): Promise<unknown>;
  watchOrderBook(symbol: string): Promise<unknown>;
  close(): Promise<unknown>;
}

/** ccxt pro for the run's exchange, every URL pointed at the simulator (bench/README.md says how). */
function createCcxt(config: ClientConfig): CcxtPro {
  const rest = config.restUrl;
  if (config.exchange === 'binance')
    return new ccxt.pro.binance({
      enableRateLimit: false,
      urls: {
        api: {
          public: `${rest}/api/v3`,
          private: `${rest}/api/v3`,
          v1: `${rest}/api/v1`,
          ws: { spot: `${config.wsUrl}/ws` },
        },
      },
      options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false },
    });
  if (config.exchange === 'upbit')
    return new ccxt.pro.upbit({
      enableRateLimit: false,
      urls: { api: { public: rest, private: rest, ws: `${config.wsUrl}/websocket/v1` } },
    });
  // ccxt appends /api/v5/... to `rest` and /public to `ws`; its book comes from the snapshot push.
  return new ccxt.pro.okx({
    enableRateLimit: false,
    urls: { api: { rest, ws: `${config.wsUrl}/ws/v5` } },
    options: { fetchMarkets: { types: ['spot'] } },
  });
}

/**
 * ccxt pro's watchOrderBook pointed at the simulator, one `while (true) await watch…` loop per symbol
 * (Binance: a socket per symbol; Upbit and OKX: one socket for all).
 */
export const startCcxt: ClientFactory = async (config: ClientConfig, recorder: Recorder) => {
  const exchange = createCcxt(config);
  await exchange.loadHttpProxyAgent();
  // The id a book reflects: Binance `u` and OKX `seqId` are ccxt's nonce; Upbit's is the timestamp.
  const byNonce = config.exchange !== 'upbit';
  const latest = new Map<string, CcxtBook>();
  let closing = false;
  let wakeUps = 0;
  let errors = 0;
  let lastError = '';
  const loops = config.symbols.map(async (native) => {
    const symbol = unifiedSymbol(config.exchange, native);
    while (!closing) {
      try {
        const book = (await exchange.watchOrderBook(symbol)) as CcxtBook;
        wakeUps++;
        latest.set(native, book);
        const id = byNonce ? book.nonce : book.timestamp;
        if (id !== undefined) recorder.record(native, id);
      } catch (error) {
        if (closing) return;
        errors++;
        lastError = error instanceof Error ? error.message.slice(0, 200) : String(error);
        // After a gap ccxt can hand the loop an already-rejected future again and again (a livelock that
        // never reads the new snapshot): yielding a millisecond lets the resync through.
        await sleep(1);
      }
    }
  });
  const client: RunningClient = {
    books(levels) {
      const out: Record<string, ClientBook> = {};
      for (const [native, book] of latest) {
        out[native] = {
          bids: book.bids.slice(0, levels).map(([p, s]) => [p, s] as const),
          asks: book.asks.slice(0, levels).map(([p, s]) => [p, s] as const),
        };
      }
      return out;
    },
    notes: () => ({ implementation: `ccxt ${ccxt.version} pro watchOrderBook`, wakeUps, errors, lastError }),
    async close() {
      closing = true;
      await exchange.close();
      await Promise.race([Promise.allSettled(loops), sleep(2000)]);
    },
  };
  return client;
};
