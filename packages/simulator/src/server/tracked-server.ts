import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * An HTTP server on loopback that knows every socket it accepted, so `close()` frees the port at once
 * and leaves nothing open, and that can refuse new TCP connections (a fault) by resetting them.
 */
export class TrackedServer {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** Returns true to reset a new TCP connection instead of serving it. */
  refuse: (() => boolean) | undefined;

  constructor(handler: RequestHandler) {
    this.server = createServer({ keepAliveTimeout: 5_000 }, handler);
    this.server.on('connection', (socket: Socket) => {
      if (this.refuse?.()) {
        socket.resetAndDestroy();
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // A client that sends garbage must not crash the process.
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen({ host, port, exclusive: true }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
    return address.port;
  }

  get connections(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    const wasListening = this.server.listening;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (wasListening) await closed;
  }
}

/** Writes a JSON body (already serialised) with the given status and headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string | number> = {},
): void {
  if (response.destroyed) return;
  response.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}
