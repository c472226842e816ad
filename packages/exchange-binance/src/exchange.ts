import {
  type ExchangeFactoryOptions,
  type ExchangePlugin,
  type Logger,
  type MarketInfo,
  noopLogger,
  type OrderBookStreamOptions,
  type RestLimits,
  type VenueDescription,
} from '@arbitrage/core';
import {
  checkWsUrl,
  RequestScheduler,
  type RequestSchedulerOptions,
  RunningStreams,
  restOrigin,
  warnMarketsKept,
} from '@arbitrage/exchange-kit';
import {
  BinanceOrderBookStream,
  type BinanceOrderBookStreamOptions,
  DEFAULT_WS_URL,
} from './order-book-stream.js';
import { BinanceRestClient, type BinanceRestClientOptions, DEFAULT_REST_URL } from './rest-client.js';
import { BINANCE_EXCHANGE_ID, BinanceSymbolMapper } from './symbols.js';
import { binanceVenue } from './venue.js';

/** Stream options a plugin applies to every stream it creates (each call may override them). */
export type BinanceStreamDefaults = Partial<
  Omit<BinanceOrderBookStreamOptions, 'rest' | 'scheduler' | 'symbols'>
>;

export interface BinanceExchangeOptions extends ExchangeFactoryOptions {
  /** Markets known before loadMarkets (default: the built-in list of common USDT pairs). */
  readonly markets?: readonly MarketInfo[];
  /** REST tuning beyond restUrl/restTimeoutMs (weight budget, retries). */
  readonly rest?: Omit<
    BinanceRestClientOptions,
    'baseUrl' | 'symbols' | 'clock' | 'logger' | 'wireTap' | 'transport'
  >;
  /** Snapshot staggering shared by every stream of this plugin. */
  readonly snapshots?: Omit<RequestSchedulerOptions, 'budget' | 'clock' | 'label'>;
  readonly stream?: BinanceStreamDefaults;
}

/** The Binance spot plugin: one REST client, one snapshot scheduler, any number of streams. */
export class BinanceExchange implements ExchangePlugin {
  readonly id = BINANCE_EXCHANGE_ID;
  readonly symbols: BinanceSymbolMapper;
  readonly restLimits: RestLimits = {
    maxSymbolsPerRequest: 1,
    // depth limit 100 weighs 5: 10/s is 3000 of the 5000/min client budget, leaving room for snapshots.
    orderBookRequestsPerSecond: 10,
  };
  /** USDT markets, Binance's fees and exchangeInfo filters: see venue.ts. */
  readonly venue: VenueDescription;
  /** Where the known markets come from: the built-in list until loadMarkets succeeds. */
  marketsSource: 'fallback' | 'exchange' = 'fallback';
  readonly scheduler: RequestScheduler;
  private readonly restClient: BinanceRestClient;
  private readonly logger: Logger;
  private readonly streams = new RunningStreams<BinanceOrderBookStream>();

  constructor(private readonly options: BinanceExchangeOptions = {}) {
    if (options.wsUrl !== undefined)
      checkWsUrl(options.wsUrl, 'createBinanceExchange', 'ws://127.0.0.1:8080');
    this.logger = (options.logger ?? noopLogger).child({ exchange: BINANCE_EXCHANGE_ID });
    this.symbols = new BinanceSymbolMapper(options.markets);
    this.venue = binanceVenue(this.symbols);
    this.restClient = new BinanceRestClient({
      ...options.rest,
      baseUrl: restOrigin(options.restUrl ?? DEFAULT_REST_URL, {
        owner: 'createBinanceExchange',
        apiPath: '/api/v3',
      }),
      ...(options.restTimeoutMs === undefined ? {} : { timeoutMs: options.restTimeoutMs }),
      symbols: this.symbols,
      ...(options.clock ? { clock: options.clock } : {}),
      logger: this.logger,
      ...(options.wireTap ? { wireTap: options.wireTap } : {}),
      ...(options.transport ? { transport: options.transport } : {}),
    });
    this.scheduler = new RequestScheduler({
      label: 'Binance depth snapshot',
      ...options.snapshots,
      budget: this.restClient.budget,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  async loadMarkets(): Promise<readonly MarketInfo[]> {
    try {
      const markets = await this.restClient.loadMarkets();
      if (markets.length > 0) this.marketsSource = 'exchange';
      return this.symbols.markets();
    } catch (error) {
      warnMarketsKept(
        this.options.logger === undefined ? undefined : this.logger,
        'binance exchangeInfo',
        error,
        {
          count: this.symbols.markets().length,
          source: this.marketsSource,
        },
      );
      return this.symbols.markets();
    }
  }

  rest(): BinanceRestClient {
    return this.restClient;
  }

  /** A stream for canonical symbols; throws UnknownSymbolError naming any symbol Binance does not list. */
  createOrderBookStream(options: OrderBookStreamOptions & BinanceStreamDefaults): BinanceOrderBookStream {
    const stream: BinanceOrderBookStream = new BinanceOrderBookStream({
      ...this.options.stream,
      ...options,
      wsUrl: options.wsUrl ?? this.options.stream?.wsUrl ?? this.options.wsUrl ?? DEFAULT_WS_URL,
      rest: this.restClient,
      scheduler: this.scheduler,
      clock: options.clock ?? this.options.clock,
      logger: options.logger ?? this.options.logger,
      wireTap: options.wireTap ?? this.options.wireTap,
      transport: options.transport ?? this.options.transport,
      onRunningChange: (running) => this.streams.note(stream, running),
    });
    return stream;
  }

  /** How many of this plugin's streams are running (stopped streams are forgotten). */
  get runningStreams(): number {
    return this.streams.size;
  }

  /** Stops every running stream made here, then releases the REST keep-alive sockets. */
  async close(): Promise<void> {
    await this.streams.endAll((stream) => stream.stop());
    this.scheduler.close();
    this.restClient.close();
  }
}

/** `createBinanceExchange({ restUrl, wsUrl, ... })`: the Binance spot ExchangePlugin. */
export function createBinanceExchange(options: BinanceExchangeOptions = {}): BinanceExchange {
  return new BinanceExchange(options);
}
