import { ConfigError, type InstrumentId, parseInstrumentId } from '@arbitrage/core';

/** The default first token of every subject: `md.book.…`, `md.health.…`, `md.snap.…`. */
export const DEFAULT_SUBJECT_PREFIX = 'md';

const PREFIX_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Checks a subject prefix: dot-separated tokens without wildcards or spaces. */
export function checkSubjectPrefix(owner: string, prefix: string | undefined): string {
  if (prefix === undefined) return DEFAULT_SUBJECT_PREFIX;
  if (typeof prefix !== 'string' || !PREFIX_PATTERN.test(prefix)) {
    throw new ConfigError(
      `${owner}: subjectPrefix must be dot-separated letters, digits, "_" or "-" (no "*", ">" or spaces), got ${JSON.stringify(prefix)}; leave it out for "${DEFAULT_SUBJECT_PREFIX}"`,
    );
  }
  return prefix;
}

/**
 * The subject tokens of an instrument: its exchange id and its canonical symbol with "/" as "_"
 * (`binance:BTC/USDT` → `binance`, `BTC_USDT`). Both are subject-safe by construction: exchange ids
 * are `[a-z0-9_-]`, canonical symbols `[A-Z0-9]+/[A-Z0-9]+`.
 */
export function instrumentTokens(instrument: InstrumentId): string {
  const { exchange, base, quote } = parseInstrumentId(instrument);
  return `${exchange}.${base}_${quote}`;
}

/** The instrument id two subject tokens name, or undefined when they are not one. */
export function instrumentFromTokens(exchange: string, symbol: string): InstrumentId | undefined {
  const match = /^([A-Z0-9]+)_([A-Z0-9]+)$/.exec(symbol);
  if (!match || !/^[a-z0-9][a-z0-9_-]*$/.test(exchange)) return undefined;
  return `${exchange}:${match[1]}/${match[2]}` as InstrumentId;
}

/** The three subjects of one instrument under `prefix`. */
export interface InstrumentSubjects {
  /** Every published book: `<prefix>.book.<exchange>.<BASE_QUOTE>`. */
  readonly book: string;
  /** State changes and heartbeats: `<prefix>.health.<exchange>.<BASE_QUOTE>`. */
  readonly health: string;
  /** Request-reply for the latest book and state: `<prefix>.snap.<exchange>.<BASE_QUOTE>`. */
  readonly snapshot: string;
}

export function instrumentSubjects(prefix: string, instrument: InstrumentId): InstrumentSubjects {
  const tokens = instrumentTokens(instrument);
  return {
    book: `${prefix}.book.${tokens}`,
    health: `${prefix}.health.${tokens}`,
    snapshot: `${prefix}.snap.${tokens}`,
  };
}

/** The wildcard the feed answers snapshot requests on. */
export function snapshotWildcard(prefix: string): string {
  return `${prefix}.snap.*.*`;
}

/** The instrument a snapshot request subject names, or undefined. */
export function instrumentOfSnapshotSubject(prefix: string, subject: string): InstrumentId | undefined {
  const head = `${prefix}.snap.`;
  if (!subject.startsWith(head)) return undefined;
  const tokens = subject.slice(head.length).split('.');
  if (tokens.length !== 2) return undefined;
  return instrumentFromTokens(tokens[0]!, tokens[1]!);
}
