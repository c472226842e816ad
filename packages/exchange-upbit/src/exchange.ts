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
  RunningStreams,
  restOrigin,
  warnMarketsKept,
  withDefaultPath,
} from '@arbitrage/exchange-kit';
import { UPBIT_WS_URL, UpbitOrderBookStream, type UpbitOrderBookStreamOptions } from './order-book-stream.js';
import { UPBIT_REST_URL, UpbitRestClient, type UpbitRestClientOptions } from './rest-client.js';
import { UPBIT_EXCHANGE_ID, UpbitSymbolMapper } from './symbols.js';
import { upbitVenue } from './venue.js';

/** Stream options that may be set once for every stream the plugin creates. */
export type UpbitStreamDefaults = Partial<Omit<UpbitOrderBookStreamOptions, 'mapper' | 'symbols' | 'url'>>;

export interface UpbitExchangeOptions extends ExchangeFactoryOptions {
  /** REST tuning (rate budget, retries, batch size); URL, clock, logger and timeout come from above. */
  readonly rest?: Omit<
    UpbitRestClientOptions,
    'baseUrl' | 'symbols' | 'clock' | 'logger' | 'timeoutMs' | 'wireTap' | 'transport'
  >;
  /** Defaults for every order-book stream (keepalive, staleness, format, backoff, ...). */
  readonly stream?: UpbitStreamDefaults;
  /** Markets to start with instead of the built-in fallback (e.g. a cached market list). */
  readonly markets?: readonly MarketInfo[];
}

/**
 * `https://api.upbit.com`, or `https://api.upbit.com/v1` as documented since 0.1: the client adds
 * `/v1/...` itself. Any other path is refused (restOrigin).
 */
function restBase(url: string): string {
  return restOrigin(url.replace(/\/v1\/*$/, ''), { owner: 'createUpbitExchange', apiPath: '/v1' });
}

/** The Upbit plugin: symbol mapping, one shared REST client, WebSocket order-book streams. */
export class UpbitExchange implements ExchangePlugin {
  readonly id = UPBIT_EXCHANGE_ID;
  readonly symbols: UpbitSymbolMapper;
  readonly restLimits: RestLimits;
  /** KRW markets, Upbit's fees and price grid: see venue.ts. */
  readonly venue: VenueDescription;
  /** Where the known markets come from: the built-in list until loadMarkets succeeds. */
  marketsSource: 'fallback' | 'exchange' = 'fallback';

  private readonly restClient: UpbitRestClient;
  private readonly wsUrl: string;
  private readonly logger: Logger;
  private readonly streams = new RunningStreams<UpbitOrderBookStream>();

  constructor(private readonly options: UpbitExchangeOptions = {}) {
    this.logger = (options.logger ?? noopLogger).child({ exchange: UPBIT_EXCHANGE_ID });
    this.symbols = new UpbitSymbolMapper(options.markets);
    this.venue = upbitVenue(this.symbols);
    this.wsUrl = withDefaultPath(
      checkWsUrl(options.wsUrl ?? UPBIT_WS_URL, 'createUpbitExchange', 'ws://127.0.0.1:8080'),
      '/websocket/v1',
    );
    this.restClient = new UpbitRestClient({
      ...options.rest,
      baseUrl: restBase(options.restUrl ?? UPBIT_REST_URL),
      symbols: this.symbols,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.restTimeoutMs === undefined ? {} : { timeoutMs: options.restTimeoutMs }),
      ...(options.wireTap === undefined ? {} : { wireTap: options.wireTap }),
      ...(options.transport === undefined ? {} : { transport: options.transport }),
    });
    this.restLimits = {
      maxSymbolsPerRequest: this.restClient.maxMarketsPerRequest,
      orderBookRequestsPerSecond: options.rest?.requestsPerSecond ?? 8,
    };
  }

  /** Loads /v1/market/all; on failure keeps the markets already known (logged, not thrown). */
  async loadMarkets(): Promise<readonly MarketInfo[]> {
    try {
      const markets = await this.restClient.loadMarkets();
      this.marketsSource = 'exchange';
      return markets;
    } catch (error) {
      warnMarketsKept(
        this.options.logger === undefined ? undefined : this.logger,
        'upbit market list',
        error,
        {
          count: this.symbols.markets().length,
          source: this.marketsSource,
        },
      );
      return this.symbols.markets();
    }
  }

  rest(): UpbitRestClient {
    return this.restClient;
  }

  createOrderBookStream(options: OrderBookStreamOptions & UpbitStreamDefaults): UpbitOrderBookStream {
    const stream: UpbitOrderBookStream = new UpbitOrderBookStream({
      ...this.options.stream,
      ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
      ...(this.options.logger === undefined ? {} : { logger: this.options.logger }),
      ...(this.options.wireTap === undefined ? {} : { wireTap: this.options.wireTap }),
      ...(this.options.transport === undefined ? {} : { transport: this.options.transport }),
      ...options,
      mapper: this.symbols,
      url: this.wsUrl,
      onRunningChange: (running) => this.streams.note(stream, running),
    });
    return stream;
  }

  /** How many of this plugin's streams are running (stopped streams are forgotten). */
  get runningStreams(): number {
    return this.streams.size;
  }

  /** Stops every running stream of this plugin and closes the REST keep-alive sockets. */
  async close(): Promise<void> {
    await this.streams.endAll((stream) => stream.close());
    this.restClient.close();
  }
}

/** `createUpbitExchange({ restUrl, wsUrl, ... })`: the Upbit plugin, pointed at Upbit or at the simulator. */
export function createUpbitExchange(options: UpbitExchangeOptions = {}): UpbitExchange {
  return new UpbitExchange(options);
}
