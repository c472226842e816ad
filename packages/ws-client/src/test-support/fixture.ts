import { afterEach } from 'vitest';
import { RecordingClient, type RecordingClientOptions, TEST_TIMINGS } from './recording-client.js';
import { TcpProxy } from './tcp-proxy.js';
import { TestServer, type TestServerOptions } from './test-server.js';

/**
 * Per-test servers, proxies and clients that are torn down after each test, whatever happened,
 * so one failing test cannot leak sockets into the next.
 */
export function useFixture(): {
  server(options?: TestServerOptions): Promise<TestServer>;
  proxy(server: TestServer): Promise<TcpProxy>;
  client(options: Partial<RecordingClientOptions> & Pick<RecordingClientOptions, 'url'>): RecordingClient;
} {
  const servers: TestServer[] = [];
  const proxies: TcpProxy[] = [];
  const clients: RecordingClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.disconnect()));
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return {
    async server(options) {
      const server = await TestServer.start(options);
      servers.push(server);
      return server;
    },
    async proxy(server) {
      const proxy = await TcpProxy.start(server.port);
      proxies.push(proxy);
      return proxy;
    },
    client(options) {
      const client = new RecordingClient({
        name: 'test-ws',
        heartbeat: false,
        backoff: TEST_TIMINGS.backoff,
        minConnectIntervalMs: TEST_TIMINGS.minConnectIntervalMs,
        connectTimeoutMs: TEST_TIMINGS.connectTimeoutMs,
        closeTimeoutMs: TEST_TIMINGS.closeTimeoutMs,
        ...options,
      });
      clients.push(client);
      return client;
    },
  };
}

/** Subscribe messages a peer received, as `{ op, args }` objects. */
export function subscribeBatches(received: readonly unknown[]): Array<{ op: string; args: string[] }> {
  return received.filter(
    (message): message is { op: string; args: string[] } =>
      typeof message === 'object' && message !== null && (message as { op?: unknown }).op === 'subscribe',
  );
}
