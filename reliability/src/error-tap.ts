import type {
  ArbitrageError,
  ExchangePlugin,
  ExchangeRestClient,
  OrderBookStream,
  OrderBookStreamOptions,
} from '@arbitrage/core';
import { isArbitrageError } from '@arbitrage/core';

/** One error seen on a stream's onError or thrown by a REST call. */
export interface TappedError {
  readonly at: number;
  readonly exchange: string;
  readonly via: 'stream' | 'rest';
  readonly name: string;
  readonly code: string;
  readonly message: string;
}

/**
 * Wraps an exchange plugin so that every error its streams report and every REST failure is
 * recorded, whoever drives the plugin (a provider or the stream adapter). Everything else passes
 * through untouched.
 */
export class ErrorTap {
  readonly errors: TappedError[] = [];
  private readonly unsubscribers: (() => void)[] = [];

  wrap(plugin: ExchangePlugin): ExchangePlugin {
    const tap = this;
    const rest = plugin.rest();
    const tappedRest: ExchangeRestClient = {
      loadMarkets: () => rest.loadMarkets(),
      fetchOrderBooks: async (symbols, options) => {
        try {
          return await rest.fetchOrderBooks(symbols, options);
        } catch (error) {
          tap.record(plugin.id, 'rest', error);
          throw error;
        }
      },
      close: () => rest.close(),
    };
    return {
      id: plugin.id,
      symbols: plugin.symbols,
      restLimits: plugin.restLimits,
      venue: plugin.venue,
      loadMarkets: () => plugin.loadMarkets(),
      rest: () => tappedRest,
      createOrderBookStream(options: OrderBookStreamOptions): OrderBookStream {
        const stream = plugin.createOrderBookStream(options);
        tap.unsubscribers.push(stream.onError((error) => tap.record(plugin.id, 'stream', error)));
        return stream;
      },
      close: async () => {
        await plugin.close();
        tap.detach();
      },
    };
  }

  record(exchange: string, via: 'stream' | 'rest', error: unknown): void {
    const arbitrage: ArbitrageError | undefined = isArbitrageError(error) ? error : undefined;
    this.errors.push({
      at: Date.now(),
      exchange,
      via,
      name: error instanceof Error ? error.constructor.name : typeof error,
      code: arbitrage?.code ?? 'UNCLASSIFIED',
      message: error instanceof Error ? error.message : String(error),
    });
  }

  /** Error codes seen in [since, until) (ms), with counts. */
  codes(since = 0, until = Number.POSITIVE_INFINITY): Record<string, number> {
    const out: Record<string, number> = {};
    for (const error of this.errors) {
      if (error.at >= since && error.at < until) out[error.code] = (out[error.code] ?? 0) + 1;
    }
    return out;
  }

  names(since = 0): Set<string> {
    return new Set(this.errors.filter((error) => error.at >= since).map((error) => error.name));
  }

  detach(): void {
    for (const off of this.unsubscribers.splice(0)) off();
  }
}
