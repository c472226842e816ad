/** What a Binance market stream delivers. */
export type StreamKind = 'diff' | 'partial' | 'bookTicker' | 'trade' | 'aggTrade' | 'silent';

export interface StreamSpec {
  /** The stream name as the client wrote it (used in the combined wrapper and LIST_SUBSCRIPTIONS). */
  readonly name: string;
  /** Upper-case symbol ('BTCUSDT'); empty for streams that carry no symbol. */
  readonly symbol: string;
  readonly kind: StreamKind;
  /** Update interval of depth streams, ms. */
  readonly intervalMs: 100 | 1000;
  /** Levels of a partial depth stream (0 otherwise). */
  readonly levels: 5 | 10 | 20 | 0;
}

const SYMBOL = /^[A-Za-z0-9]{1,40}$/;
const DEPTH = /^depth(5|10|20)?(?:@(100|1000)ms)?$/;
const EVENTS = /^(bookTicker|trade|aggTrade)$/;
// Valid Binance streams this simulator does not produce: accepted, and silent.
const UNSERVED =
  /^(?:kline_(?:1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1M)(?:@\+08:00)?|ticker|miniTicker|avgPrice|ticker_(?:1h|4h|1d))$/;
const UNSERVED_ALL = /^!(?:ticker|miniTicker|ticker_(?:1h|4h|1d))@arr$/;

/**
 * Parses a stream name (`<symbol>@<stream>`). Names use lower-case symbols; a well-formed name with
 * an upper-case or unknown symbol is accepted and stays silent, as is a valid stream type this
 * simulator does not produce (klines, tickers). Returns undefined for a name Binance rejects
 * ("Invalid request: invalid stream").
 */
export function parseStreamName(name: string): StreamSpec | undefined {
  if (UNSERVED_ALL.test(name)) return { name, symbol: '', kind: 'silent', intervalMs: 1000, levels: 0 };
  const at = name.indexOf('@');
  if (at <= 0) return undefined;
  const symbolPart = name.slice(0, at);
  const rest = name.slice(at + 1);
  if (!SYMBOL.test(symbolPart)) return undefined;
  const symbol = symbolPart.toUpperCase();
  const served = symbolPart === symbolPart.toLowerCase();
  const depth = DEPTH.exec(rest);
  if (depth) {
    const levels = depth[1] ? (Number(depth[1]) as 5 | 10 | 20) : 0;
    const kind = served ? (levels ? 'partial' : 'diff') : 'silent';
    return { name, symbol, kind, intervalMs: depth[2] === '100' ? 100 : 1000, levels };
  }
  const event = EVENTS.exec(rest);
  if (event) {
    const kind = served ? (event[1] as 'bookTicker' | 'trade' | 'aggTrade') : 'silent';
    return { name, symbol, kind, intervalMs: 100, levels: 0 };
  }
  if (UNSERVED.test(rest)) return { name, symbol, kind: 'silent', intervalMs: 1000, levels: 0 };
  return undefined;
}
