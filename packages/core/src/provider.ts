import type { ProviderHealth } from './health.js';
import type { OrderBookSnapshot } from './types.js';

export interface MarketDataProvider {
  start(): Promise<void>;
  /** Leaves no socket, timer or listener behind; start() may be called again afterwards. */
  stop(): Promise<void>;
  /**
   * The latest book for an instrument id ('binance:BTC/USDT') or a native symbol ('BTCUSDT',
   * 'KRW-BTC'). Undefined until a book exists. Throws on an unknown or ambiguous symbol.
   */
  getLatestSnapshot(symbol: string): OrderBookSnapshot | undefined;
  /** Called with every new snapshot. Returns unsubscribe. */
  onSnapshot(listener: (snapshot: OrderBookSnapshot) => void): () => void;
  health(): ProviderHealth;
}
