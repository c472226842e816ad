/** Orderbook messages written from docs/protocols/upbit.md A5, for tests and benchmarks. */

export interface Unit {
  readonly ap: number;
  readonly as: number;
  readonly bp: number;
  readonly bs: number;
}

export interface BookMessageOptions {
  readonly code?: string;
  readonly timestamp?: number;
  readonly streamType?: 'SNAPSHOT' | 'REALTIME';
  readonly format?: 'DEFAULT' | 'SIMPLE';
  readonly units: readonly Unit[];
}

/** A KRW-BTC-like book: asks from 116,539,000 up, bids from 116,538,000 down, tick 1,000. */
export function btcUnits(count = 30, seed = 1): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < count; i++) {
    units.push({
      ap: 116_539_000 + i * 1_000,
      as: (((seed * 7_919 + i * 104_729) % 9_999_999) + 10_000) / 1e8,
      bp: 116_538_000 - i * 1_000,
      bs: (((seed * 6_007 + i * 15_485_863) % 9_999_999) + 20_000) / 1e8,
    });
  }
  return units;
}

export function bookMessage(options: BookMessageOptions): Record<string, unknown> {
  const total = (key: 'as' | 'bs'): number =>
    Math.round(options.units.reduce((sum, unit) => sum + unit[key], 0) * 1e8) / 1e8;
  if (options.format === 'SIMPLE') {
    return {
      ty: 'orderbook',
      cd: options.code ?? 'KRW-BTC',
      tms: options.timestamp ?? 1_790_134_742_106,
      tas: total('as'),
      tbs: total('bs'),
      obu: options.units.map((unit) => ({ ap: unit.ap, bp: unit.bp, as: unit.as, bs: unit.bs })),
      st: options.streamType ?? 'REALTIME',
      lv: 0,
    };
  }
  return {
    type: 'orderbook',
    code: options.code ?? 'KRW-BTC',
    timestamp: options.timestamp ?? 1_790_134_742_106,
    total_ask_size: total('as'),
    total_bid_size: total('bs'),
    orderbook_units: options.units.map((unit) => ({
      ask_price: unit.ap,
      bid_price: unit.bp,
      ask_size: unit.as,
      bid_size: unit.bs,
    })),
    stream_type: options.streamType ?? 'REALTIME',
    level: 0,
  };
}

export function bookFrame(options: BookMessageOptions): Buffer {
  return Buffer.from(JSON.stringify(bookMessage(options)), 'utf8');
}
