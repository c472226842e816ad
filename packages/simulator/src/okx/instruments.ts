import { decimalsOf, formatTrimmed } from '../model/decimal.js';
import type { OkxInstrumentBook } from '../model/okx-book.js';

/**
 * One entry of GET /api/v5/public/instruments?instType=SPOT (docs/protocols/okx.md E1), with the
 * fields the plugin reads (instId, baseCcy, quoteCcy, tickSz, lotSz, minSz, state) and those ccxt
 * reads besides; derivative-only fields are empty strings, as OKX writes them for spot.
 */
export function instrumentInfo(book: OkxInstrumentBook, listTime: number): Record<string, string> {
  return {
    instType: 'SPOT',
    instId: book.instId,
    instFamily: '',
    uly: '',
    baseCcy: book.asset.base,
    quoteCcy: 'USDT',
    settleCcy: '',
    ctVal: '',
    ctMult: '',
    ctValCcy: '',
    optType: '',
    stk: '',
    listTime: String(listTime),
    expTime: '',
    lever: '10',
    tickSz: formatTrimmed(1, book.tickDecimals),
    lotSz: formatTrimmed(1, book.lotDecimals),
    minSz: book.minSize.toFixed(decimalsOf(book.minSize)),
    ctType: '',
    alias: '',
    state: 'live',
    maxLmtSz: '9999999999',
    maxMktSz: '1000000',
    maxLmtAmt: '20000000',
    maxMktAmt: '1000000',
    category: '1',
  };
}
