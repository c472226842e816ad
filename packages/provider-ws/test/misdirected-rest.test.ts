import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBinanceExchange } from '@arbitrage/exchange-binance';
import { type Simulator, startSimulator } from '@arbitrage/simulator';
import { waitFor } from '@arbitrage/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketMarketDataProvider } from '../src/index.js';

// Issue 17: a REST endpoint that answers 404 to everything must show, with no logger given, where
// the user already looks (the instrument's health), instead of the book never arriving silently.

let sim: Simulator;
let notFound: Server;
let origin: string;

beforeEach(async () => {
  sim = await startSimulator({ seed: 1 });
  notFound = createServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not Found</html>');
  });
  await new Promise<void>((resolve) => notFound.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(notFound.address() as AddressInfo).port}`;
});

afterEach(async () => {
  notFound.closeAllConnections();
  await new Promise<void>((resolve) => notFound.close(() => resolve()));
  await sim.stop();
});

describe('a REST endpoint that is not the exchange', () => {
  it('with its API path in restUrl: refused when the plugin is made, naming the option and the form', () => {
    expect(() => createBinanceExchange({ restUrl: `${sim.binance.restUrl}/api/v3` })).toThrow(
      `restUrl must be an origin like http://127.0.0.1:8080 or https://api.example.com (no path): the client adds /api/v3/… itself, got ${sim.binance.restUrl}/api/v3`,
    );
  });

  it('answering 404 to every request: the health reason says so, with no logger', async () => {
    const binance = createBinanceExchange({ restUrl: origin, wsUrl: sim.binance.wsUrl });
    const provider = new WebSocketMarketDataProvider({ exchanges: [binance], symbols: ['BTCUSDT'] });
    try {
      await provider.start();
      const reason = (): string => provider.health().instruments['binance:BTC/USDT']?.reason ?? '';
      await waitFor(
        () => reason().includes('404'),
        () => `a health reason naming the 404; last: ${reason()}`,
        { timeoutMs: 15_000 },
      );
      expect(reason()).toMatch(/HTTP 404 for Binance GET \/api\/v3\/depth/);
      expect(provider.health().allLive).toBe(false);
    } finally {
      await provider.stop();
      await binance.close();
    }
  });
});
