import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

// A loader hook that refuses every @nats-io module: whatever loads one fails loudly.
const BLOCK_NATS = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  "export async function resolve(specifier, context, next) {" +
  "  if (specifier.startsWith('@nats-io/')) throw new Error('NATS CLIENT LOADED: ' + specifier);" +
  "  return next(specifier, context);" +
  "}"
));
`)}`;

it('importing the package and constructing both classes never loads the NATS client; start() does', () => {
  const script = `
    const { NatsFeedPublisher, NatsMarketDataProvider } = await import(${JSON.stringify(DIST)});
    const { createUpbitExchange } = await import('@arbitrage/exchange-upbit');
    const provider = new NatsMarketDataProvider({ exchanges: [createUpbitExchange()], symbols: ['KRW-BTC'], servers: 'nats://127.0.0.1:1' });
    new NatsFeedPublisher({ provider, servers: 'nats://127.0.0.1:1' });
    console.log('constructed without the client');
    try { await provider.start(); } catch (error) { console.log(error.message); }
  `;
  const result = spawnSync(process.execPath, ['--import', BLOCK_NATS, '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(result.stdout, result.stderr).toContain('constructed without the client');
  expect(result.stdout).toContain('NATS CLIENT LOADED: @nats-io/transport-node');
});
