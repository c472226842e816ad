import { ConfigError } from '@arbitrage/core';
import type { ExchangeName } from '../model/market.js';
import type { TimerGroup } from '../timers.js';
import type { FaultHandle, Faults } from './faults.js';
import { MALFORMED_KINDS, type MalformedKind } from './malformed.js';
import type { RefuseMode } from './rest-faults.js';

/** One parsed `--fault` spec. */
export interface ScheduledFault {
  readonly spec: string;
  /** Repeat interval; undefined = once, right after start. */
  readonly everyMs: number | undefined;
  /** How long a fault with an undo stays armed. */
  readonly durationMs: number;
  readonly run: (faults: Faults) => FaultHandle | undefined;
}

export const FAULT_SYNTAX = `<kind>[:<args>][@<every>][+<duration>]  (durations: 500ms, 10s, 2m)
  drop:<exchange>                     drop every connection (1006)
  close:<exchange>:<code>             close every connection with <code>
  refuse:<exchange>[:reset|http-503|close-after-open]+<duration>
  stall:<exchange>[:<symbol>]+<duration>
  noping:<exchange>+<duration>        stop answering pings
  gap:<exchange>:<symbol>[:<count>]   drop diff events (Binance, OKX: a sequence gap)
  dup:<exchange>:<symbol>[:<count>]   duplicate messages
  reorder:<exchange>:<symbol>         swap the next two messages
  malformed:<exchange>:<kind>[:<symbol>]   kind: ${MALFORMED_KINDS.join('|')}
  older:<upbit-code>                  an out-of-order (older timestamp) Upbit frame
  cross:<exchange>:<symbol>[:persist]+<duration>
  rest:<exchange>:<status|hang|slow=<ms>>+<duration>
  move:<exchange>:<symbol>:<bps>      move a book by <bps> basis points
  shutdown[:<closeAfterMs>]           Binance serverShutdown then close
  seqreset:okx:<instId>               OKX sequence restarts lower (as after maintenance)
  snapshot:okx:<instId>               OKX snapshot push in mid-stream
  notice:okx[:<closeAfterMs>]         OKX service-upgrade notice (64008) then drop`;

/** '500ms', '10s', '2m', '1h' → ms. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new ConfigError(`"${text}" is not a duration: write it like 500ms, 10s, 2m or 1h`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * factor;
}

function exchangeOf(value: string | undefined, spec: string): ExchangeName {
  if (value === 'upbit' || value === 'binance' || value === 'okx') return value;
  throw new ConfigError(
    `fault "${spec}": expected exchange 'upbit', 'binance' or 'okx', got "${value ?? ''}"`,
  );
}

function required(value: string | undefined, what: string, spec: string): string {
  if (value === undefined || value === '') throw new ConfigError(`fault "${spec}": missing ${what}`);
  return value;
}

function integer(value: string | undefined, fallback: number, spec: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new ConfigError(`fault "${spec}": "${value}" is not an integer`);
  return n;
}

/** Parses one spec (syntax in FAULT_SYNTAX); errors name the spec and what is wrong. */
export function parseFaultSpec(spec: string): ScheduledFault {
  let body = spec.trim();
  let durationMs = 5000;
  let everyMs: number | undefined;
  const plus = body.lastIndexOf('+');
  if (plus > 0) {
    durationMs = parseDuration(body.slice(plus + 1));
    body = body.slice(0, plus);
  }
  const at = body.lastIndexOf('@');
  if (at > 0) {
    everyMs = parseDuration(body.slice(at + 1));
    if (everyMs < 10) throw new ConfigError(`fault "${spec}": the interval must be at least 10ms`);
    body = body.slice(0, at);
  }
  const [kind, a, b, c] = body.split(':');
  let run: (faults: Faults) => FaultHandle | undefined;
  switch (kind) {
    case 'drop': {
      const exchange = exchangeOf(a, spec);
      run = (faults) => void faults.dropConnections(exchange);
      break;
    }
    case 'close': {
      const exchange = exchangeOf(a, spec);
      const code = integer(required(b, 'close code', spec), 1000, spec);
      run = (faults) => void faults.closeConnections(exchange, code);
      break;
    }
    case 'refuse': {
      const exchange = exchangeOf(a, spec);
      const mode = (b ?? 'reset') as RefuseMode;
      if (!['reset', 'http-503', 'close-after-open'].includes(mode))
        throw new ConfigError(`fault "${spec}": unknown refuse mode "${b}"`);
      run = (faults) => faults.refuseConnections(exchange, durationMs, { mode });
      break;
    }
    case 'stall': {
      const exchange = exchangeOf(a, spec);
      run = (faults) => faults.stallStream(exchange, b === undefined ? {} : { symbol: b });
      break;
    }
    case 'noping': {
      const exchange = exchangeOf(a, spec);
      run = (faults) => faults.ignorePings(exchange);
      break;
    }
    case 'gap':
    case 'dup': {
      const exchange = exchangeOf(a, spec);
      const symbol = required(b, 'symbol', spec);
      const count = integer(c, 1, spec);
      run = (faults) =>
        kind === 'gap'
          ? faults.skipUpdates(exchange, symbol, count)
          : faults.duplicateMessages(exchange, symbol, count);
      break;
    }
    case 'reorder': {
      const exchange = exchangeOf(a, spec);
      const symbol = required(b, 'symbol', spec);
      run = (faults) => faults.reorderMessages(exchange, symbol);
      break;
    }
    case 'malformed': {
      const exchange = exchangeOf(a, spec);
      const malformed = required(b, 'malformed kind', spec) as MalformedKind;
      if (!MALFORMED_KINDS.includes(malformed))
        throw new ConfigError(`fault "${spec}": unknown malformed kind "${b}"`);
      run = (faults) => void faults.sendMalformed(exchange, malformed, c === undefined ? {} : { symbol: c });
      break;
    }
    case 'older': {
      const code = required(a, 'Upbit code', spec);
      run = (faults) => void faults.sendOlderFrame(code);
      break;
    }
    case 'cross': {
      const exchange = exchangeOf(a, spec);
      const symbol = required(b, 'symbol', spec);
      const persist = c === 'persist';
      run = (faults) => faults.crossBook(exchange, symbol, { persist });
      break;
    }
    case 'rest': {
      const exchange = exchangeOf(a, spec);
      const what = required(b, 'status, hang or slow=<ms>', spec);
      const rest =
        what === 'hang'
          ? { hang: true }
          : what.startsWith('slow=')
            ? { delayMs: integer(what.slice(5), 0, spec) }
            : { status: integer(what, 500, spec) };
      run = (faults) => faults.restFault(exchange, rest);
      break;
    }
    case 'move': {
      const exchange = exchangeOf(a, spec);
      const symbol = required(b, 'symbol', spec);
      const bps = Number(required(c, 'bps', spec));
      if (!Number.isFinite(bps)) throw new ConfigError(`fault "${spec}": "${c}" is not a number of bps`);
      run = (faults) => void faults.moveBook(exchange, symbol, bps);
      break;
    }
    case 'shutdown': {
      const closeAfterMs = integer(a, 2000, spec);
      run = (faults) => void faults.serverShutdown({ closeAfterMs });
      break;
    }
    case 'seqreset':
    case 'snapshot': {
      const exchange = exchangeOf(a, spec);
      if (exchange !== 'okx') throw new ConfigError(`fault "${spec}": ${kind} is an OKX fault`);
      const instId = required(b, 'instId', spec);
      run = (faults) =>
        void (kind === 'seqreset'
          ? faults.resetSequence(exchange, instId)
          : faults.resendSnapshot(exchange, instId));
      break;
    }
    case 'notice': {
      const exchange = exchangeOf(a, spec);
      if (exchange !== 'okx') throw new ConfigError(`fault "${spec}": notice is an OKX fault`);
      const closeAfterMs = integer(b, 2000, spec);
      run = (faults) => void faults.serviceNotice(exchange, closeAfterMs);
      break;
    }
    default:
      throw new ConfigError(`unknown fault "${kind}" in "${spec}"; syntax:\n${FAULT_SYNTAX}`);
  }
  return { spec, everyMs, durationMs, run };
}

/** Runs parsed faults on the simulator's timers (cleared by stop()). Errors while firing are reported, not thrown. */
export function scheduleFaults(
  faults: Faults,
  schedule: readonly ScheduledFault[],
  timers: TimerGroup,
  onError: (spec: string, error: unknown) => void,
): void {
  for (const entry of schedule) {
    const fire = (): void => {
      try {
        const handle = entry.run(faults);
        if (handle) timers.after(entry.durationMs, () => handle.clear());
      } catch (error) {
        onError(entry.spec, error);
      }
    };
    if (entry.everyMs === undefined) timers.after(0, fire);
    else timers.every(entry.everyMs, fire);
  }
}
