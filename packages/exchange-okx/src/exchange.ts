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
  withDefaultPath,
} from '@arbitrage/exchange-kit';
import {
  DEFAULT_WS_URL,
  OkxOrderBookStream,
  type OkxOrderBookStreamOptions,
  PUBLIC_WS_PATH,
} from './order-book-stream.js';
import {
  DEFAULT_REQUESTS_PER_2S,
  DEFAULT_REST_URL,
  OkxRestClient,
  type OkxRestClientOptions,
} from './rest-client.js';
import { OKX_EXCHANGE_ID, OkxSymbolMapper } from './symbols.js';
import { okxVenue } from './venue.js';

/** Stream options applied to every stream the plugin creates (each call may override them). */
export type OkxStreamDefaults = Partial<Omit<OkxOrderBookStreamOptions, 'rest' | 'scheduler' | 'symbols'>>;

export interface OkxExchangeOptions extends ExchangeFactoryOptions {
  /** Markets known before loadMarkets (default: the built-in list of common USDT pairs). */
  readonly markets?: readonly MarketInfo[];
  /** REST tuning beyond restUrl/restTimeoutMs (request budget, retries). */
  readonly rest?: Omit<
    OkxRestClientOptions,
    'baseUrl' | 'symbols' | 'clock' | 'logger' | 'wireTap' | 'transport'
  >;
  /** Snapshot staggering shared by every stream of this plugin. */
  readonly snapshots?: Omit<RequestSchedulerOptions, 'budget' | 'clock' | 'label'>;
  readonly stream?: OkxStreamDefaults;
}

/** The OKX spot plugin: one REST client, one snapshot scheduler, any number of streams. */
export class OkxExchange implements ExchangePlugin {
  readonly id = OKX_EXCHANGE_ID;
  readonly symbols: OkxSymbolMapper;
  readonly restLimits: RestLimits;
  /** USDT markets, OKX's fees and instrument rules: see venue.ts. */
  readonly venue: VenueDescription;
  /** Where the known markets come from: the built-in list until loadMarkets succeeds. */
  marketsSource: 'fallback' | 'exchange' = 'fallback';
  readonly scheduler: RequestScheduler;
  private readonly restClient: OkxRestClient;
  private readonly logger: Logger;
  private readonly streams = new RunningStreams<OkxOrderBookStream>();

  constructor(private readonly options: OkxExchangeOptions = {}) {
    if (options.wsUrl !== undefined) checkWsUrl(options.wsUrl, 'createOkxExchange', 'ws://127.0.0.1:8080');
    this.logger = (options.logger ?? noopLogger).child({ exchange: OKX_EXCHANGE_ID });
    this.symbols = new OkxSymbolMapper(options.markets);
    this.venue = okxVenue(this.symbols);
    this.restClient = new OkxRestClient({
      ...options.rest,
      baseUrl: restOrigin(options.restUrl ?? DEFAULT_REST_URL, {
        owner: 'createOkxExchange',
        apiPath: '/api/v5',
      }),
      ...(options.restTimeoutMs === undefined ? {} : { timeoutMs: options.restTimeoutMs }),
      symbols: this.symbols,
      ...(options.clock ? { clock: options.clock } : {}),
      logger: this.logger,
      ...(options.wireTap ? { wireTap: options.wireTap } : {}),
      ...(options.transport ? { transport: options.transport } : {}),
    });
    // Polling gets about half of the book budget (default 20 per 2 s), leaving the rest for snapshots.
    this.restLimits = {
      maxSymbolsPerRequest: 1,
      orderBookRequestsPerSecond: (options.rest?.requestsPer2s ?? DEFAULT_REQUESTS_PER_2S) / 4,
    };
    this.scheduler = new RequestScheduler({
      label: 'OKX book snapshot',
      ...options.snapshots,
      budget: this.restClient.budget,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  async loadMarkets(): Promise<readonly MarketInfo[]> {
    try {
      const markets = await this.restClient.loadMarkets();
      if (markets.length > 0) this.marketsSource = 'exchange';
    } catch (error) {
      warnMarketsKept(this.options.logger === undefined ? undefined : this.logger, 'okx instruments', error, {
        count: this.symbols.markets().length,
        source: this.marketsSource,
      });
    }
    return this.symbols.markets();
  }

  rest(): OkxRestClient {
    return this.restClient;
  }

  /** A stream for canonical symbols; throws UnknownSymbolError naming any symbol OKX does not list. */
  createOrderBookStream(options: OrderBookStreamOptions & OkxStreamDefaults): OkxOrderBookStream {
    const stream: OkxOrderBookStream = new OkxOrderBookStream({
      ...this.options.stream,
      ...options,
      // `ws://host:port` alone (a simulator, a proxy) means OKX's public path on that host.
      wsUrl: withDefaultPath(
        options.wsUrl ?? this.options.stream?.wsUrl ?? this.options.wsUrl ?? DEFAULT_WS_URL,
        PUBLIC_WS_PATH,
      ),
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

  /** How many of this plugin's streams are running. */
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

/** `createOkxExchange({ restUrl, wsUrl, ... })`: the OKX spot ExchangePlugin. */
export function createOkxExchange(options: OkxExchangeOptions = {}): OkxExchange {
  return new OkxExchange(options);
}
