import type { Duplex } from 'node:stream';

/** Answers an upgrade request with a plain HTTP status and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

/** Connection ids unique across both exchanges, so a fault can target one connection. */
export class ConnectionIds {
  private next = 1;

  take(): number {
    return this.next++;
  }
}
