import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@arbitrage/core';
import { MetricsPortError } from './metrics-port-error.js';
import type { RunnerMetrics } from './runner-metrics.js';

/** GET /metrics on host:port (port 0 picks a free one). Stops with every connection closed. */
export class MetricsServer {
  private server: Server | undefined;

  constructor(
    private readonly metrics: RunnerMetrics,
    private readonly logger: Logger,
  ) {}

  async start(port: number, host: string): Promise<AddressInfo> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try GET /metrics\n');
        return;
      }
      this.metrics.render().then(
        (body) => response.writeHead(200, { 'content-type': this.metrics.contentType }).end(body),
        (error: unknown) => {
          this.logger.error({ err: error }, 'rendering metrics failed');
          response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(MetricsPortError.explains(error) ? new MetricsPortError(host, port, error.code) : error),
      );
      server.listen(port, host, () => {
        server.removeAllListeners('error');
        resolve();
      });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.logger.info({ host: address.address, port: address.port }, 'metrics on GET /metrics');
    return address;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
