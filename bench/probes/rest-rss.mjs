// RSS of a REST client after import and three requests, in a fresh process.
// usage: node --expose-gc bench/probes/rest-rss.mjs <repo root> <import|request> [binance|upbit]
// Prints RSS and V8's new-space size after a full GC, peak RSS (VmHWM), and whether Node's undici was loaded.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import v8 from 'node:v8';

const [root, mode = 'request', exchange = 'binance'] = process.argv.slice(2);
if (!root) throw new Error('usage: rest-rss.mjs <repo root> <import|request> [binance|upbit]');

const DEPTH =
  '{"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]],"asks":[["4.00000200","12.00000000"]]}';
const BOOKS =
  '[{"market":"KRW-BTC","timestamp":1,"orderbook_units":[{"ask_price":2,"bid_price":1,"ask_size":1,"bid_size":1}]}]';

const plugin = await import(`${root}/packages/exchange-${exchange}/dist/index.js`);
if (mode === 'request') {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(exchange === 'binance' ? DEPTH : BOOKS);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  const client =
    exchange === 'binance'
      ? new plugin.BinanceRestClient({ baseUrl })
      : new plugin.UpbitRestClient({ baseUrl });
  for (let i = 0; i < 3; i++) {
    if (exchange === 'binance') await client.depth('BTCUSDT', 100);
    else await client.fetchOrderBooks(['BTC/KRW']);
  }
  client.close();
  server.close();
}
for (let i = 0; i < 3; i++) globalThis.gc();
await new Promise((resolve) => setTimeout(resolve, 200));
globalThis.gc();
const newSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
const peak = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const undici = process.moduleLoadList.includes('NativeModule internal/deps/undici/undici');
console.log(
  JSON.stringify({
    rssMB: +(process.memoryUsage().rss / 2 ** 20).toFixed(1),
    peakMB: peak ? +(Number(peak[1]) / 1024).toFixed(1) : undefined,
    newSpaceMB: +(newSpace.space_size / 2 ** 20).toFixed(1),
    undici,
  }),
);
